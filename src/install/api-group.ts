/** The API group of kubectl-backup's own resources, and the names every module shares. */
export const apiGroup = 'kubectl-backup.io';
export const apiVersion = 'v1';
export const groupVersion = `${apiGroup}/${apiVersion}`;

/** Our custom resources: plural, kind and the short name `kubectl get` accepts. */
export const ownResources = {
  backups: { plural: 'backups', singular: 'backup', kind: 'Backup', shortName: 'kbackup' },
  restores: { plural: 'restores', singular: 'restore', kind: 'Restore', shortName: 'krestore' },
  backupstoragelocations: { plural: 'backupstoragelocations', singular: 'backupstoragelocation', kind: 'BackupStorageLocation', shortName: 'kbsl' },
} as const;

export type OwnResource = keyof typeof ownResources;

/** Path of a collection or object of one of our resources in the tool namespace. */
export function ownResourcePath(resource: OwnResource, namespace: string, name?: string): string {
  const base = `/apis/${groupVersion}/namespaces/${encodeURIComponent(namespace)}/${resource}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

export const managedByLabel = 'app.kubernetes.io/managed-by';
export const managedByValue = 'kubectl-backup';
export const componentLabel = 'app.kubernetes.io/component';
/** On cluster-scoped objects: the tool namespace they were installed for. */
export const installNamespaceLabel = `${apiGroup}/namespace`;
export const scheduleNameLabel = `${apiGroup}/schedule-name`;
/** Which run made a Backup or Restore object: a name alone cannot tell a run's own create (a POST retried after its answer was lost) from another's. */
export const runIdAnnotation = `${apiGroup}/run-id`;

/**
 * On every object install applies: the sha256 of the manifest it was last brought to. A later
 * manifest that differs (a field dropped as much as one changed) is applied again.
 */
export const appliedHashAnnotation = `${apiGroup}/applied-hash`;

/** Where the tool's own objects live unless `-n` or KUBECTL_BACKUP_NAMESPACE says otherwise. */
export const defaultToolNamespace = 'kubectl-backup';

/** The ServiceAccount scheduled backups run as. */
export const runnerServiceAccount = 'kubectl-backup-runner';

/**
 * Install settings that schedules read (the image), kept in a ConfigMap so that GitOps tools
 * can own it like any other manifest.
 */
export const settingsConfigMap = 'kubectl-backup';
export const settingsImageKey = 'image';
