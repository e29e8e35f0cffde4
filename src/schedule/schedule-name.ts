import { BadInputError } from '../errors.js';
import { dns1123LabelProblem } from '../install/namespace-name.js';

/** `-YYYYMMDDhhmmss`, the suffix of every backup a schedule takes. */
export const backupSuffixLength = 15;

/**
 * A schedule's name is the CronJob's name, the value of the `kubectl-backup.io/schedule-name`
 * label, and the start of its backups' names (`NAME-YYYYMMDDhhmmss`), which are label values
 * too (at most 63 characters). So: a DNS-1123 label of at most 63 - 15 = 48 characters. That is
 * also within the API server's limit of 52 for CronJob names (it appends 11 to name Jobs).
 */
export const maxScheduleNameLength = 63 - backupSuffixLength;

export function scheduleNameProblem(name: string): string | undefined {
  const problem = dns1123LabelProblem(name);
  if (problem) return problem;
  if (name.length > maxScheduleNameLength) {
    return `it is ${name.length} characters long; at most ${maxScheduleNameLength}, so that its backups' names (NAME-YYYYMMDDhhmmss) stay within 63`;
  }
  return undefined;
}

export function requireScheduleName(name: string): string {
  const problem = scheduleNameProblem(name);
  if (problem) throw new BadInputError(`invalid schedule name "${name}": ${problem}`);
  return name;
}

/** `NAME-YYYYMMDDhhmmss` in UTC: the name of the backup a schedule starts at `start`. */
export function scheduledBackupName(schedule: string, start: Date): string {
  const stamp = start.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${schedule}-${stamp}`;
}
