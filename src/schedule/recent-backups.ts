import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { ownResourcePath, scheduleNameLabel } from '../install/api-group.js';
import { servedOwnResources } from '../install/installed.js';

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

/** What storage knows of a schedule's backups: the records labelled with its name. */
export interface ScheduleBackupRecords {
  backupsOf(schedule: string): Promise<RecentBackup[]>;
}

interface BackupObject extends KubeObject {
  status?: { phase?: string; startTimestamp?: string; completionTimestamp?: string; expiration?: string | null };
}

/**
 * The newest `limit` backups of a schedule: storage records first (they are the truth), then
 * `Backup` objects of backups still running or whose records could not be read.
 */
export async function recentBackups(client: KubeClient, namespace: string, schedule: string, limit: number, records?: ScheduleBackupRecords): Promise<RecentBackup[]> {
  const byName = new Map<string, RecentBackup>();
  if (records) for (const backup of await records.backupsOf(schedule)) byName.set(backup.name, backup);
  if ((await servedOwnResources(client)).has('backups')) {
    const list = await client.json<KubeList<BackupObject>>({
      method: 'GET',
      path: ownResourcePath('backups', namespace),
      query: { labelSelector: `${scheduleNameLabel}=${schedule}` },
    });
    for (const item of list.items) {
      const name = item.metadata.name ?? '';
      if (byName.has(name)) continue;
      const s = item.status ?? {};
      byName.set(name, {
        name,
        phase: s.phase ?? 'New',
        ...(s.startTimestamp ? { started: s.startTimestamp } : {}),
        ...(s.completionTimestamp ? { completed: s.completionTimestamp } : {}),
        ...(s.expiration !== undefined ? { expires: s.expiration } : {}),
        source: 'cluster',
      });
    }
  }
  // Names end in the start time (NAME-YYYYMMDDhhmmss): newest first.
  return [...byName.values()].sort((a, b) => b.name.localeCompare(a.name)).slice(0, limit);
}
