import type { BackupObjectView } from '../cluster-records/backup-object.js';
import type { BackupObjects } from '../cluster-records/backup-objects.js';

/**
 * When the `Backup` object of a backup that ended Failed expires. Such a backup has no record in
 * storage, so nothing else ever removes its object, and a schedule that keeps failing would pile
 * them up in `get`. Like every backup, it expires at its expiry (schedules.md); one that failed
 * before it had one (no plan could be made) is a notice only, kept for a day as unfinished
 * backups' artifacts are. Undefined: never (ttl 0), or not a Failed backup.
 */
export function failedObjectExpiry(object: BackupObjectView, keepUnplannedMs: number): Date | undefined {
  if (object.status.phase !== 'Failed') return undefined;
  const { expiration } = object.status;
  if (expiration === null) return undefined;
  if (expiration !== undefined) return new Date(expiration);
  const ended = object.status.completionTimestamp ?? object.creationTimestamp;
  return ended === undefined ? undefined : new Date(new Date(ended).getTime() + keepUnplannedMs);
}

/**
 * The expired objects of Failed backups that wrote to one of `locations` (the names or URLs a
 * Backup object names its location by), deleted unless `dryRun`.
 * @returns each with its expiry
 */
export async function collectFailedBackupObjects(
  objects: BackupObjects,
  locations: readonly string[],
  options: { now: Date; dryRun: boolean; keepUnplannedMs: number },
): Promise<{ name: string; expiredAt: string }[]> {
  if (!(await objects.available())) return [];
  const collected: { name: string; expiredAt: string }[] = [];
  for (const object of await objects.list()) {
    if (object.storageLocation === undefined || !locations.includes(object.storageLocation)) continue;
    const expiry = failedObjectExpiry(object, options.keepUnplannedMs);
    if (expiry === undefined || Number.isNaN(expiry.getTime()) || expiry > options.now) continue;
    if (!options.dryRun && !(await objects.delete(object.name, object.uid))) continue;
    collected.push({ name: object.name, expiredAt: expiry.toISOString() });
  }
  return collected;
}
