import { createHash } from 'node:crypto';
import type { KubeObject } from '../kube/types.js';

export const backupNameLabel = 'kubectl-backup.io/backup-name';
export const restoreNameLabel = 'kubectl-backup.io/restore-name';

/**
 * A label value of at most 63 characters: longer names keep their first 57 characters and add
 * 6 hex characters of the whole value's sha256, so two long names stay distinct (restore.md).
 */
export function labelValue(value: string): string {
  if (value.length <= 63) return value;
  return value.slice(0, 57) + createHash('sha256').update(value).digest('hex').slice(0, 6);
}

/** The labels that mark what a restore creates: made once per restore, not per item (a long name costs a sha256). */
export type RestoreLabels = Readonly<Record<typeof backupNameLabel | typeof restoreNameLabel, string>>;

export function restoreLabels(backupName: string, restoreName: string): RestoreLabels {
  return { [backupNameLabel]: labelValue(backupName), [restoreNameLabel]: labelValue(restoreName) };
}

/** Marks an object as restored by this restore from this backup; mutates it. */
export function addRestoreLabels(object: KubeObject, labels: RestoreLabels): void {
  object.metadata.labels = { ...object.metadata.labels, ...labels };
}
