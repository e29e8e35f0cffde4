import { scheduleNameLabel } from '../install/api-group.js';
import { BackupRepository } from '../storage/backup-repository.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { RecentBackup, ScheduleBackupRecords } from './recent-backups.js';

/** A schedule's backups as its storage location records them: the records labelled with its name. */
export class StoredScheduleBackups implements ScheduleBackupRecords {
  constructor(private readonly store: ObjectStore) {}

  async backupsOf(schedule: string): Promise<RecentBackup[]> {
    const { records } = await new BackupRepository(this.store).list();
    return records
      .filter((r) => r.metadata.labels[scheduleNameLabel] === schedule)
      .map((r) => ({
        name: r.metadata.name,
        phase: r.status.phase,
        started: r.status.startTimestamp,
        completed: r.status.completionTimestamp,
        expires: r.status.expiration,
        source: 'storage' as const,
      }));
  }
}
