import { CronExpressionParser } from 'cron-parser';
import { BadInputError } from '../errors.js';
import type { CronSchedule } from './cron.js';

/**
 * The next `count` times after `from` at which the CronJob controller starts a run, in the
 * schedule's time zone (UTC when it has none, the usual controller zone). Empty when the
 * schedule never runs.
 */
export function nextRuns(schedule: CronSchedule, timeZone: string | undefined, from: Date, count: number): Date[] {
  try {
    const expression = CronExpressionParser.parse(schedule.fields, { currentDate: from, tz: timeZone ?? 'UTC' });
    return expression.take(count).map((d) => d.toDate());
  } catch {
    return [];
  }
}

/** A schedule that can never fire (day 31 of a 30-day month) is refused rather than created idle. */
export function requireRuns(schedule: CronSchedule, flag = '--schedule'): void {
  if (nextRuns(schedule, 'UTC', new Date(Date.UTC(2000, 0, 1)), 1).length === 0) {
    throw new BadInputError(`invalid ${flag} ${JSON.stringify(schedule.expression)}: it never runs (that day of the month does not occur in those months)`);
  }
}
