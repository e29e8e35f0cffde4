import { errorMessage } from '../errors.js';
import { collectGarbage } from '../gc/collect-garbage.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { ResolvedLocation } from '../location/resolve.js';

/**
 * After a scheduled backup: the expired backups of its location go, as `kubectl backup gc`
 * would delete them, so that retention works with nothing but CronJobs (schedules.md). The
 * backup is already committed: a failure here is a warning, and the next run tries again.
 */
export async function collectAfterScheduledBackup(location: ResolvedLocation, client: KubeClient, namespace: string, logger: Logger): Promise<void> {
  try {
    const report = await collectGarbage(location.store, { dryRun: false, cluster: { client, namespace, locationRefs: [location.reference] }, locationLabel: location.label, logger });
    for (const b of report.expired) logger.log('info', 'deleted expired backup', { backup: b.name, expired: b.expiredAt });
    for (const l of report.locked) logger.log('info', 'expired backup kept: under object lock retention', { backup: l.name, retainUntil: l.retainUntil });
    for (const f of report.failed) logger.log('warn', 'could not delete expired backup; the next scheduled run tries again', { backup: f.name, error: f.message });
    for (const w of report.warnings) logger.log('warn', `expired backup deleted, but ${w.warning}`, { backup: w.name });
    for (const o of report.orphans) logger.log('info', 'removed the artifacts of a backup that never finished', { backup: o.name, objects: o.objects });
    for (const o of report.failedObjects) logger.log('info', 'deleted the Backup object of an expired failed backup', { backup: o.name, expired: o.expiredAt });
    if (report.partialUploadsError !== undefined) logger.log('warn', 'partial uploads were not removed; the next scheduled run tries again', { location: location.label, error: report.partialUploadsError });
    if (report.partialUploads) logger.log('info', 'removed the partial uploads of writes that never finished', { uploads: report.partialUploads });
  } catch (err) {
    logger.log('warn', 'could not delete expired backups; the next scheduled run tries again', { location: location.label, error: errorMessage(err) });
  }
}
