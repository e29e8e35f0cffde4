import { asObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import { groupVersion, type ResourceDef } from './resource-def.js';

/** Who every bearer token of the test server is: an administrator. */
const ADMIN = { username: 'kubernetes-admin', groups: ['kubeadm:cluster-admins', 'system:authenticated'] };
const ALLOWED_BY = 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"';

function statusFor(def: ResourceDef, body: KubeObject, tokenValid: (token: string) => boolean): JsonObject {
  switch (def.kind) {
    case 'SelfSubjectReview':
      return { userInfo: ADMIN };
    case 'TokenReview': {
      const token = String(asObject(body.spec)?.token ?? '');
      return tokenValid(token) ? { authenticated: true, user: ADMIN, audiences: ['https://kubernetes.default.svc.cluster.local'] } : { user: {}, error: '[invalid bearer token]' };
    }
    case 'SelfSubjectRulesReview':
      return {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    default:
      return { allowed: true, reason: ALLOWED_BY };
  }
}

/**
 * The answer to a create on a review resource (access reviews, rules reviews, whoami, token
 * reviews): the request echoed back with a status, never stored. There is no authorization
 * here, so every access is allowed.
 */
export function reviewResponse(def: ResourceDef, version: string, body: KubeObject, namespace: string, tokenValid: (token: string) => boolean): JsonObject {
  const metadata: JsonObject = { ...(body.metadata as JsonObject), creationTimestamp: null };
  if (def.namespaced) metadata.namespace = namespace;
  return {
    kind: def.kind,
    apiVersion: groupVersion(def.group, version),
    metadata,
    spec: (body.spec ?? {}) as JsonObject,
    status: statusFor(def, body, tokenValid),
  };
}
