import type { BackupObjectView } from './backup-object.js';

/**
 * An ended backup's object (Completed, PartiallyFailed) of this location: it mirrors a record
 * there, so when that record is missing the backup was deleted from storage (by a delete or gc
 * from another cluster sharing the bucket) and the object mirrors nothing. Failed objects are
 * not mirrors: a backup that failed before writing its record has no other trace (Velero's
 * sync keeps them too).
 */
export function mirrorsRecordOf(object: BackupObjectView, locationReference: string): boolean {
  const { phase } = object.status;
  return (phase === 'Completed' || phase === 'PartiallyFailed') && object.storageLocation === locationReference;
}
