import type { KubeObject } from '../kube/types.js';
import { apiGroup, componentLabel, installNamespaceLabel, managedByLabel, managedByValue, runnerServiceAccount } from './api-group.js';

const rbacVersion = 'rbac.authorization.k8s.io/v1';

function labels(namespace?: string): Record<string, string> {
  return {
    [managedByLabel]: managedByValue,
    [componentLabel]: 'runner',
    ...(namespace === undefined ? {} : { [installNamespaceLabel]: namespace }),
  };
}

/**
 * Cluster-scoped RBAC objects are per install: two tool namespaces each get their own, so that
 * uninstalling one leaves the other working.
 */
export function clusterRbacName(namespace: string): string {
  return `${runnerServiceAccount}:${namespace}`;
}

export function runnerServiceAccountManifest(namespace: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: runnerServiceAccount, namespace, labels: labels() },
  };
}

/**
 * A backup reads everything and changes nothing in the cluster: get and list on every
 * resource, and the discovery endpoints. No watch, no write, no escalation.
 */
export function runnerClusterRole(namespace: string): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'ClusterRole',
    metadata: { name: clusterRbacName(namespace), labels: labels(namespace) },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] },
      { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/version'], verbs: ['get'] },
    ],
  };
}

export function runnerClusterRoleBinding(namespace: string): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'ClusterRoleBinding',
    metadata: { name: clusterRbacName(namespace), labels: labels(namespace) },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRbacName(namespace) },
    subjects: [{ kind: 'ServiceAccount', name: runnerServiceAccount, namespace }],
  };
}

/**
 * In the tool namespace only: read the schedules' CronJobs (the template), the locations and
 * their Secrets (credentials), and write the tool's own records. Locations are read only: they
 * are the user's configuration, and a run that could rewrite one could send every later backup
 * elsewhere. The records' ownerReferences to CronJobs do not set blockOwnerDeletion, so no
 * permission on cronjobs/finalizers is needed.
 */
export function runnerRole(namespace: string): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'Role',
    metadata: { name: runnerServiceAccount, namespace, labels: labels() },
    rules: [
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get', 'list'] },
      { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get'] },
      { apiGroups: [apiGroup], resources: ['backupstoragelocations'], verbs: ['get', 'list', 'watch'] },
      {
        apiGroups: [apiGroup],
        resources: ['backups', 'restores'],
        verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'],
      },
      {
        apiGroups: [apiGroup],
        resources: ['backups/status', 'restores/status'],
        verbs: ['get', 'update', 'patch'],
      },
    ],
  };
}

export function runnerRoleBinding(namespace: string): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'RoleBinding',
    metadata: { name: runnerServiceAccount, namespace, labels: labels() },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: runnerServiceAccount },
    subjects: [{ kind: 'ServiceAccount', name: runnerServiceAccount, namespace }],
  };
}
