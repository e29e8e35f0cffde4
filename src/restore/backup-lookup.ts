import { BadInputError } from '../errors.js';
import { scheduleNameLabel } from '../install/api-group.js';
import type { BackupRecord } from '../storage/backup-record.js';
import type { BackupRepository } from '../storage/backup-repository.js';

export type BackupReference = { backup: string } | { schedule: string; allowPartiallyFailed: boolean };

/**
 * The backup a restore reads: by name (`--from-backup`, Completed or PartiallyFailed, as Velero
 * allows), or the newest Completed backup of a schedule (`--from-schedule`; PartiallyFailed
 * ones too with `--allow-partially-failed`). A Failed backup is never restored from.
 */
export async function findBackup(backups: BackupRepository, reference: BackupReference, locationLabel: string): Promise<BackupRecord> {
  if ('backup' in reference) {
    const record = await backups.require(reference.backup);
    if (record.status.phase === 'Failed') {
      throw new BadInputError(`backup "${reference.backup}" failed (phase Failed${record.status.failureReason ? `: ${record.status.failureReason}` : ''}) and cannot be restored`);
    }
    return record;
  }
  const { records } = await backups.list();
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
