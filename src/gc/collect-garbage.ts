import { BackupDeleter } from '../backup-records/delete-backups.js';
import { BackupObjects } from '../cluster-records/backup-objects.js';
import { deleteRestoreObject } from '../cluster-records/restore-objects.js';
import { errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { backupExpiry } from '../storage/backup-record.js';
import { BackupRepository } from '../storage/backup-repository.js';
import { OWN_DIRS } from '../storage/layout.js';
import type { ObjectStore } from '../storage/object-store.js';
import { RecordLockedError } from '../storage/repository-errors.js';
import { RestoreRepository } from '../storage/restore-repository.js';
import { collectFailedBackupObjects } from './failed-backup-objects.js';

/** Artifacts without a record younger than this may belong to a backup still running. */
export const orphanMinAgeMs = 24 * 3_600_000;

export interface GcOptions {
  dryRun: boolean;
  now?: Date;
  /**
   * When given, the `Backup` and `Restore` objects of deleted backups go too (where the CRDs are
   * installed), and the expired objects of Failed backups that name the location as one of
   * `locationRefs` (its name, or its URL for a backup to a URL).
   */
  cluster?: { client: KubeClient; namespace: string; locationRefs?: readonly string[] };
  /** How messages name the location. */
  locationLabel?: string;
  /** Where the deletion engine reports records it cannot read. */
  logger?: Logger;
}

export interface GcReport {
  /** Expired backups deleted (or that would be, with dryRun). */
  expired: { name: string; expiredAt: string; objects: number }[];
  /** Expired backups their storage still keeps under object lock: nothing of them was removed. */
  locked: { name: string; retainUntil?: string }[];
  /** Backups with artifacts and no record, older than 24 hours: removed. */
  orphans: { name: string; objects: number; lastModified: string }[];
  /**
   * Writes that never finished, older than 24 hours, removed (or that would be, with dryRun):
   * a directory's partial files, S3's incomplete multipart uploads.
   */
  partialUploads: number;
  /**
   * Why partial uploads could not be listed or removed, when they could not: a store without
   * ListMultipartUploads, or credentials without that permission. The rest of gc stands.
   */
  partialUploadsError?: string;
  /** Expired backups whose deletion failed: nothing after the failing step was removed. */
  failed: { name: string; message: string }[];
  /** Problems after an expired backup itself was deleted (a restore record, an object). */
  warnings: { name: string; warning: string }[];
  /** `Backup` objects of Failed backups (which have no record in storage), expired: deleted. */
  failedObjects: { name: string; expiredAt: string }[];
}

/**
 * `kubectl backup gc` for one location (schedules.md, "TTL and garbage collection"): expired
 * backups go through the engine `kubectl backup delete` uses (record first, then artifacts, the
 * `Backup` object, the records and `Restore` objects of the restores made from them); then what
 * runs that never finished left behind, once it is a day old: the artifacts of backups without
 * a record, and the partial uploads of writes that never finished. A backup under object lock
 * retention is kept and reported.
 */
export async function collectGarbage(store: ObjectStore, options: GcOptions): Promise<GcReport> {
  const now = options.now ?? new Date();
  const repoOptions = options.locationLabel ? { locationLabel: options.locationLabel } : {};
  const { cluster, logger = silentLogger } = options;
  const backups = new BackupRepository(store, repoOptions);
  const report: GcReport = { expired: [], locked: [], orphans: [], partialUploads: 0, failed: [], warnings: [], failedObjects: [] };

  const deleter = new BackupDeleter({
    backups,
    restores: new RestoreRepository(store, repoOptions),
    ...(cluster ? { objects: new BackupObjects(cluster.client, cluster.namespace), deleteRestoreObject: (name: string) => deleteRestoreObject(cluster.client, cluster.namespace, name) } : {}),
    logger,
    now: () => now,
  });
  const expired = await backups.expired(now);
  const expiredAt = new Map(expired.map((record) => [record.metadata.name, backupExpiry(record)?.toISOString() ?? '']));
  if (options.dryRun) {
    for (const record of expired) {
      const name = record.metadata.name;
      const retainUntil = await deleter.retainedUntil(name);
      if (retainUntil) report.locked.push({ name, retainUntil: retainUntil.toISOString() });
      else report.expired.push({ name, expiredAt: expiredAt.get(name) ?? '', objects: record.status.artifacts.length + 1 });
    }
  } else {
    for (const outcome of await deleter.delete(expired.map((record) => ({ name: record.metadata.name, stored: true })))) {
      const { name } = outcome;
      if (outcome.result === 'deleted') report.expired.push({ name, expiredAt: expiredAt.get(name) ?? '', objects: outcome.removed.length });
      else if (outcome.result === 'locked') report.locked.push({ name, ...(outcome.deletableFrom ? { retainUntil: outcome.deletableFrom } : {}) });
      else report.failed.push({ name, message: outcome.message ?? '' });
      for (const warning of outcome.warnings) report.warnings.push({ name, warning });
    }
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

  if (cluster?.locationRefs && cluster.locationRefs.length > 0) {
    report.failedObjects = await collectFailedBackupObjects(new BackupObjects(cluster.client, cluster.namespace), cluster.locationRefs, { now, dryRun: options.dryRun, keepUnplannedMs: orphanMinAgeMs });
  }

  // The same age as orphans: a write this old is no backup still running.
  try {
    report.partialUploads = (await store.removeAbandonedWrites?.(new Date(now.getTime() - orphanMinAgeMs), { dryRun: options.dryRun, within: OWN_DIRS })) ?? 0;
  } catch (err) {
    // Clean-up of what failed runs left: expired backups were handled, so this is reported, not fatal.
    report.partialUploadsError = errorMessage(err);
  }
  return report;
}
