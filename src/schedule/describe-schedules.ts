import { errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import { resolveLocation, type ResolveOptions } from '../location/resolve.js';
import type { Logger } from '../log/logger.js';
import { recentBackups, type RecentBackup } from './recent-backups.js';
import { scheduleView, type ScheduleView } from './schedule-view.js';
import { storedScheduleBackups } from './stored-schedule-backups.js';

/** A schedule as `schedule describe` shows it. */
export interface DescribedSchedule extends ScheduleView {
  namespace: string;
  recentBackups: RecentBackup[];
}

export interface DescribeSchedulesOptions extends ResolveOptions {
  client: KubeClient;
  logger: Logger;
  /** How many recent backups to list per schedule. */
  backups: number;
  now: Date;
}

/**
 * Schedules with their next runs, template and recent backups. Schedules mostly share a
 * location: each location is resolved and its records listed once, however many of them
 * write there.
 */
export async function describeSchedules(cronJobs: readonly KubeObject[], options: DescribeSchedulesOptions): Promise<DescribedSchedule[]> {
  const byLocation = new Map<string, Promise<Map<string, RecentBackup[]> | undefined>>();
  const storedIn = (location: string) => {
    let stored = byLocation.get(location);
    if (!stored) byLocation.set(location, (stored = readLocation(location, options)));
    return stored;
  };
  return Promise.all(
    cronJobs.map(async (cronJob) => {
      const view = scheduleView(cronJob, options.now, 3);
      const location = view.template?.storageLocation;
      const stored = location === undefined ? undefined : (await storedIn(location))?.get(view.name);
      return { ...view, namespace: options.namespace, recentBackups: await recentBackups(options.client, options.namespace, view.name, options.backups, stored) };
    }),
  );
}

/**
 * The records of a location, by schedule; when it cannot be read (unreachable, deleted), one
 * warning and none: its schedules show their Backup objects only.
 */
async function readLocation(location: string, options: DescribeSchedulesOptions): Promise<Map<string, RecentBackup[]> | undefined> {
  try {
    return await storedScheduleBackups((await resolveLocation({ storageLocation: location }, options)).store);
  } catch (err) {
    options.logger.log('warn', "cannot read the backups of the schedule's location; showing Backup objects only", { location, error: errorMessage(err) });
    return undefined;
  }
}
