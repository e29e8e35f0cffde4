import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { ownResourcePath } from '../install/api-group.js';
import { backupExpiry } from '../storage/backup-record.js';
import { BackupRepository } from '../storage/backup-repository.js';
import { recordKey } from '../storage/layout.js';
import type { ObjectStore } from '../storage/object-store.js';
import { RecordLockedError } from '../storage/repository-errors.js';
import { RestoreRepository } from '../storage/restore-repository.js';

/** Artifacts without a record younger than this may belong to a backup still running. */
export const orphanMinAgeMs = 24 * 3_600_000;

export interface GcOptions {
  dryRun: boolean;
  now?: Date;
  /** When given, the `Backup` objects of deleted backups go too. */
  cluster?: { client: KubeClient; namespace: string; withCrds: boolean };
  /** How messages name the location. */
  locationLabel?: string;
}

export interface GcReport {
  /** Expired backups deleted (or that would be, with dryRun). */
  expired: { name: string; expiredAt: string; objects: number }[];
  /** Expired backups their storage still keeps under object lock: nothing of them was removed. */
  locked: { name: string; retainUntil?: string }[];
  /** Backups with artifacts and no record, older than 24 hours: removed. */
  orphans: { name: string; objects: number; lastModified: string }[];
  /** Unfinished writes of a directory location, removed. */
  abandonedWrites: number;
}

interface AbandonedWrites {
  removeAbandonedWrites(olderThan: Date): Promise<number>;
}

function hasAbandonedWrites(store: ObjectStore): store is ObjectStore & AbandonedWrites {
  return typeof (store as Partial<AbandonedWrites>).removeAbandonedWrites === 'function';
}

/**
 * `kubectl backup gc` for one location (schedules.md, "TTL and garbage collection"): expired
 * backups go, record first so that each disappears at once, then their artifacts, the records
 * and `Restore` objects of the restores made from them, and their `Backup` objects; then what
 * runs that never finished left behind, once it is a day old. A backup under object lock
 * retention is kept and reported.
 */
export async function collectGarbage(store: ObjectStore, options: GcOptions): Promise<GcReport> {
  const now = options.now ?? new Date();
  const repoOptions = options.locationLabel ? { locationLabel: options.locationLabel } : {};
  const backups = new BackupRepository(store, repoOptions);
  const restores = new RestoreRepository(store, repoOptions);
  const report: GcReport = { expired: [], locked: [], orphans: [], abandonedWrites: 0 };

  const expired = await backups.expired(now);
  const restoreRecords = expired.length > 0 ? (await restores.list()).records : [];
  for (const record of expired) {
    const name = record.metadata.name;
    const expiredAt = backupExpiry(record)?.toISOString() ?? '';
    // On a versioned bucket a delete under retention "succeeds" by hiding the record behind a
    // delete marker while every version stays: ask the store first, as `backup delete` does.
    const retainUntil = (await store.head(recordKey('backup', name)))?.retention?.retainUntil;
    if (retainUntil && retainUntil.getTime() > now.getTime()) {
      report.locked.push({ name, retainUntil: retainUntil.toISOString() });
      continue;
    }
    if (options.dryRun) {
      report.expired.push({ name, expiredAt, objects: record.status.artifacts.length + 1 });
      continue;
    }
    try {
      const removed = await backups.delete(name);
      report.expired.push({ name, expiredAt, objects: removed.removed.length });
    } catch (err) {
      if (!(err instanceof RecordLockedError)) throw err;
      report.locked.push({ name, ...(err.retainUntil ? { retainUntil: err.retainUntil.toISOString() } : {}) });
      continue;
    }
    for (const restore of restoreRecords.filter((r) => r.spec.backupName === name)) {
      const deleted = await restores.delete(restore.metadata.name).then(
        () => true,
        (err: unknown) => {
          if (!(err instanceof RecordLockedError)) throw err;
          return false;
        },
      );
      if (deleted && options.cluster?.withCrds) await deleteObject(options.cluster.client, ownResourcePath('restores', options.cluster.namespace, restore.metadata.name));
    }
    if (options.cluster?.withCrds) await deleteObject(options.cluster.client, ownResourcePath('backups', options.cluster.namespace, name));
  }

  // Backups only: Velero writes restore directories without a record of ours, which would
  // look unfinished here, and a bucket may be shared with it.
  for (const orphan of await backups.orphans(now)) {
    if (orphan.ageMs < orphanMinAgeMs) continue;
    const entry = { name: orphan.name, objects: orphan.objects.length, lastModified: orphan.lastModified.toISOString() };
    if (options.dryRun) report.orphans.push(entry);
    else {
      try {
        if ((await backups.deleteOrphan(orphan)).length > 0) report.orphans.push(entry);
      } catch (err) {
        if (!(err instanceof RecordLockedError)) throw err;
        report.locked.push({ name: orphan.name, ...(err.retainUntil ? { retainUntil: err.retainUntil.toISOString() } : {}) });
      }
    }
  }

  if (!options.dryRun && hasAbandonedWrites(store)) {
    report.abandonedWrites = await store.removeAbandonedWrites(new Date(now.getTime() - orphanMinAgeMs));
  }
  return report;
}

/** A `Backup` or `Restore` object of a deleted record: gone already is fine. */
async function deleteObject(client: KubeClient, path: string): Promise<void> {
  try {
    await client.json({ method: 'DELETE', path });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
