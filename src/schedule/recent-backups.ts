import { BackupObjects } from '../cluster-records/backup-objects.js';
import type { KubeClient } from '../kube/client.js';
import { scheduleNameLabel } from '../install/api-group.js';

/** A backup of a schedule, as `schedule describe` lists it. */
export interface RecentBackup {
  name: string;
  phase: string;
  started?: string;
  completed?: string;
  expires?: string | null;
  /** Where it was read: the storage record (the truth) or only the cluster's `Backup` object. */
  source: 'storage' | 'cluster';
}

/**
 * The newest `limit` backups of a schedule: storage records first (they are the truth), then
 * `Backup` objects of backups still running or whose records could not be read.
 */
export async function recentBackups(client: KubeClient, namespace: string, schedule: string, limit: number, stored: readonly RecentBackup[] = []): Promise<RecentBackup[]> {
  const byName = new Map<string, RecentBackup>();
  for (const backup of stored) byName.set(backup.name, backup);
  const objects = new BackupObjects(client, namespace);
  if (await objects.available()) {
    for (const object of await objects.list(`${scheduleNameLabel}=${schedule}`)) {
      if (byName.has(object.name)) continue;
      const { phase, startTimestamp, completionTimestamp, expiration } = object.status;
      byName.set(object.name, {
        name: object.name,
        phase,
        ...(startTimestamp ? { started: startTimestamp } : {}),
        ...(completionTimestamp ? { completed: completionTimestamp } : {}),
        ...(expiration !== undefined ? { expires: expiration } : {}),
        source: 'cluster',
      });
    }
  }
  // Names end in the start time (NAME-YYYYMMDDhhmmss): newest first.
  return [...byName.values()].sort((a, b) => b.name.localeCompare(a.name)).slice(0, limit);
}
