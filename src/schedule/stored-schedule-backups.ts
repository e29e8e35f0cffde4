import { scheduleNameLabel } from '../install/api-group.js';
import { BackupRepository } from '../storage/backup-repository.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { RecentBackup } from './recent-backups.js';

/**
 * The backups of schedules as a storage location records them, by schedule name (the label
 * each record carries): one listing of the location serves every schedule that writes there.
 */
export async function storedScheduleBackups(store: ObjectStore): Promise<Map<string, RecentBackup[]>> {
  const { records } = await new BackupRepository(store).list();
  const bySchedule = new Map<string, RecentBackup[]>();
  for (const r of records) {
    const schedule = r.metadata.labels[scheduleNameLabel];
    if (schedule === undefined) continue;
    const backups = bySchedule.get(schedule) ?? [];
    backups.push({
      name: r.metadata.name,
      phase: r.status.phase,
      started: r.status.startTimestamp,
      completed: r.status.completionTimestamp,
      expires: r.status.expiration,
      source: 'storage',
    });
    bySchedule.set(schedule, backups);
  }
  return bySchedule;
}
