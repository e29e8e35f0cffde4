import type { KubeObject } from '../kube/types.js';
import { groupVersion, ownResources } from './api-group.js';

interface KindPath {
  prefix: string;
  plural: string;
  namespaced: boolean;
}

/**
 * The REST paths of the few kinds install and uninstall manage: built-in ones and our own. A fixed table rather
 * than discovery: these kinds are the same on every supported Kubernetes version.
 */
const kinds: Record<string, KindPath> = {
  'v1/Namespace': { prefix: '/api/v1', plural: 'namespaces', namespaced: false },
  'v1/ServiceAccount': { prefix: '/api/v1', plural: 'serviceaccounts', namespaced: true },
  'v1/ConfigMap': { prefix: '/api/v1', plural: 'configmaps', namespaced: true },
  'v1/Secret': { prefix: '/api/v1', plural: 'secrets', namespaced: true },
  'batch/v1/CronJob': { prefix: '/apis/batch/v1', plural: 'cronjobs', namespaced: true },
  'apiextensions.k8s.io/v1/CustomResourceDefinition': { prefix: '/apis/apiextensions.k8s.io/v1', plural: 'customresourcedefinitions', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRole': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterroles', namespaced: false },
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'clusterrolebindings', namespaced: false },
  'rbac.authorization.k8s.io/v1/Role': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'roles', namespaced: true },
  'rbac.authorization.k8s.io/v1/RoleBinding': { prefix: '/apis/rbac.authorization.k8s.io/v1', plural: 'rolebindings', namespaced: true },
  ...Object.fromEntries(Object.values(ownResources).map((r) => [`${groupVersion}/${r.kind}`, { prefix: `/apis/${groupVersion}`, plural: r.plural, namespaced: true }])),
};

/** The collection path of an object (for create) or, with `named`, the object's own path. */
export function objectPath(obj: KubeObject, named = false): string {
  const kind = kinds[`${obj.apiVersion}/${obj.kind}`];
  if (!kind) throw new Error(`no REST path known for ${obj.apiVersion} ${obj.kind}`);
  const ns = kind.namespaced ? `/namespaces/${encodeURIComponent(obj.metadata.namespace ?? '')}` : '';
  const name = named ? `/${encodeURIComponent(obj.metadata.name ?? '')}` : '';
  return `${kind.prefix}${ns}/${kind.plural}${name}`;
}

/** `kind/name` the way kubectl prints it: `customresourcedefinition.apiextensions.k8s.io/backups.kubectl-backup.io`. */
export function objectRef(obj: KubeObject): string {
  const group = obj.apiVersion?.includes('/') ? `.${obj.apiVersion.split('/')[0]}` : '';
  return `${obj.kind?.toLowerCase()}${group}/${obj.metadata.name}`;
}
