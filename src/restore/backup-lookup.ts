import type { BackupCatalog } from '../backup-records/backup-catalog.js';
import { BadInputError } from '../errors.js';
import { scheduleNameLabel } from '../install/api-group.js';
import type { BackupRecord } from '../storage/backup-record.js';

export type BackupReference = { backup: string } | { schedule: string; allowPartiallyFailed: boolean };

/**
 * The backup a restore reads: by name (`--from-backup`, Completed or PartiallyFailed, as Velero
 * allows), or the newest Completed backup of a schedule (`--from-schedule`; PartiallyFailed
 * ones too with `--allow-partially-failed`). A Failed backup is never restored from. By name it
 * is looked up as `get` shows backups: a backup known only from its `Backup` object (running,
 * or ended Failed before writing a record) is named as such, not "not found".
 */
export async function findBackup(catalog: BackupCatalog, reference: BackupReference, locationLabel: string): Promise<BackupRecord> {
  if ('backup' in reference) {
    const name = reference.backup;
    const record = await catalog.requireRecord(name, 'it cannot be restored');
    if (record.status.phase === 'Failed') {
      throw new BadInputError(`backup "${name}" failed (phase Failed${record.status.failureReason ? `: ${record.status.failureReason}` : ''}) and cannot be restored`);
    }
    return record;
  }
  const { records } = await catalog.repository.list();
  const usable = records
    .filter((r) => r.metadata.labels[scheduleNameLabel] === reference.schedule)
    .filter((r) => r.status.phase === 'Completed' || (reference.allowPartiallyFailed && r.status.phase === 'PartiallyFailed'))
    .sort((a, b) => Date.parse(b.status.startTimestamp) - Date.parse(a.status.startTimestamp));
  const newest = usable[0];
  if (!newest) {
    const phases = reference.allowPartiallyFailed ? 'Completed or PartiallyFailed' : 'Completed';
    throw new BadInputError(`no ${phases} backup of schedule "${reference.schedule}" in ${locationLabel}; see: kubectl backup get -l ${scheduleNameLabel}=${reference.schedule}`);
  }
  return newest;
}
