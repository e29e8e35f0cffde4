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
 * A backup reads everything and changes nothing in the cluster: list on every resource, and the
 * discovery endpoints. No get: RBAC's `*` matches subresources too, and a GET of nodes/NAME/proxy,
 * pods/NAME/exec, attach or portforward runs commands in containers. A LIST never names an
 * object, so it never reaches a subresource; what a run reads by name outside the tool
 * namespace (CRDs, Namespace objects, `--ordered-resources` items) it lists by name
 * (listByName). No watch, no write, no escalation.
 */
export function runnerClusterRole(namespace: string): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'ClusterRole',
    metadata: { name: clusterRbacName(namespace), labels: labels(namespace) },
    rules: [
      { apiGroups: ['*'], resources: ['*'], verbs: ['list'] },
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
 * In the tool namespace only, what a scheduled run (`create --from-schedule`, then the
 * collection of expired backups) sends and nothing more: it reads its schedule's CronJob, its
 * location and that location's credentials Secret (when the pod's environment has none); it
 * creates its `Backup` object, replaces one a dead run left (read, delete), patches its status,
 * and deletes the `Backup` and `Restore` objects of the backups it expires. It never watches,
 * updates (PUT) or patches an object itself, and never writes a `Restore` otherwise. Locations
 * are read only: they are the user's configuration, and a run that could rewrite one could send
 * every later backup elsewhere. The records' ownerReferences to CronJobs do not set
 * blockOwnerDeletion, so no permission on cronjobs/finalizers is needed. The ClusterRole grants
 * no get, so the reads by name of a run's own objects are granted here and only here.
 */
export function runnerRole(namespace: string): KubeObject {
  return {
    apiVersion: rbacVersion,
    kind: 'Role',
    metadata: { name: runnerServiceAccount, namespace, labels: labels() },
    rules: [
      { apiGroups: ['batch'], resources: ['cronjobs'], verbs: ['get'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { apiGroups: [apiGroup], resources: ['backupstoragelocations'], verbs: ['get'] },
      { apiGroups: [apiGroup], resources: ['backups'], verbs: ['get', 'create', 'delete'] },
      { apiGroups: [apiGroup], resources: ['backups/status'], verbs: ['patch'] },
      { apiGroups: [apiGroup], resources: ['restores'], verbs: ['delete'] },
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
