import { BadInputError } from '../errors.js';

/**
 * The schedule of a CronJob, checked with the rules the API server applies to `spec.schedule`
 * (robfig/cron's standard parser, as Kubernetes calls it), so that a schedule we accept is one
 * the API server accepts, and every mistake is named before anything is created.
 *
 * Differences, all stricter and all on forms that cannot be meant: an empty list item (`1,,2`),
 * a range starting at `*` (`*-5`), a signed number (`+5`), `@every` (parsed by robfig but not
 * part of the documented CronJob syntax, and not the cron the spec lists), and a schedule whose
 * day-of-month and month never meet (`0 0 31 2 *`), which Kubernetes accepts and never runs.
 */

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
  namesHint?: string;
}

const monthNames = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const dayNames = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

const fieldRules: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: monthNames, namesHint: 'JAN-DEC' },
  { name: 'day-of-week', min: 0, max: 6, names: dayNames, namesHint: 'SUN-SAT' },
];

/** The descriptors the CronJob documentation lists, as the five fields they stand for. */
const descriptors: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const descriptorList = Object.keys(descriptors).join(', ');
const shape = `five fields (minute hour day-of-month month day-of-week) or one of ${descriptorList}`;

/** Thrown for a field; the caller adds the flag and the whole value. */
class FieldProblem extends Error {}

/** A valid schedule: as written (for the CronJob) and as five plain fields (for computing runs). */
export interface CronSchedule {
  /** Exactly what the user gave: it goes into `spec.schedule` unchanged. */
  readonly expression: string;
  /**
   * Five fields with descriptors expanded, every "any value" field (`*`, `?`, `* /1`) written
   * `*` and every other field as the sorted list of the values it stands for: robfig/cron
   * combines day-of-month and day-of-week with AND when either is "any", with OR otherwise, and
   * the library computing next runs decides the same way from a literal `*`. Plain lists leave
   * that library nothing to read its own way: it refuses repeated values (`0,0`, `1-5,0-6`) that
   * the controller accepts, and reads `N/STEP` in day-of-week up to 7 (Sunday again), where the
   * controller stops at 6.
   */
  readonly fields: string;
}

/** Checks `text` as `flag` (`--schedule`); throws BadInputError naming the field at fault. */
export function parseCron(text: string, flag = '--schedule'): CronSchedule {
  const fail = (why: string) => new BadInputError(`invalid ${flag} ${JSON.stringify(text)}: ${why}`);
  if (text.trim() === '') throw fail(`it is empty; expected ${shape}`);
  // The API server refuses "TZ" anywhere in the schedule, not only as a prefix.
  if (text.includes('TZ')) throw fail('a time zone cannot be given in the schedule (TZ= or CRON_TZ=); use --time-zone instead, e.g. --time-zone Europe/Paris');
  if (text.startsWith('@')) {
    if (text.startsWith('@every')) throw fail(`@every is not supported by CronJobs; use ${shape}, e.g. "*/30 * * * *"`);
    const fields = descriptors[text];
    if (fields === undefined) throw fail(`unknown descriptor ${text}; expected one of ${descriptorList}`);
    return { expression: text, fields };
  }
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) throw fail(`expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${parts.length}`);
  try {
    const normalized = parts.map((part, i) => checkField(part, fieldRules[i]!));
    return { expression: text, fields: normalized.join(' ') };
  } catch (err) {
    if (err instanceof FieldProblem) throw fail(err.message);
    throw err;
  }
}

/** Validates one field; returns `*` when it means every value, else its values, sorted, comma-separated. */
function checkField(field: string, rule: FieldRule): string {
  const items = field.split(',');
  let any = false;
  const values = new Set<number>();
  for (const item of items) {
    if (item === '') throw new FieldProblem(`${rule.name} has an empty item in "${field}"`);
    if (checkItem(item, rule, values)) any = true;
  }
  return any ? '*' : [...values].sort((a, b) => a - b).join(',');
}

/**
 * One list item: `*`, `?`, `N`, `N-M`, each optionally `/STEP`; adds the values it stands for to
 * `values`. True when it means every value.
 */
function checkItem(item: string, rule: FieldRule, values: Set<number>): boolean {
  const slashes = item.split('/');
  if (slashes.length > 2) throw new FieldProblem(`${rule.name} "${item}" has more than one "/"`);
  const [range, stepText] = slashes as [string, string | undefined];
  let step = 1;
  if (stepText !== undefined) {
    if (!/^\d+$/.test(stepText)) throw new FieldProblem(`${rule.name} step "${stepText}" is not a number`);
    step = Number(stepText);
    if (step === 0) throw new FieldProblem(`${rule.name} step must be a positive number, got 0`);
  }
  if (range === '*' || range === '?') {
    for (let v = rule.min; v <= rule.max; v += step) values.add(v);
    return step === 1;
  }
  const bounds = range.split('-');
  if (bounds.length > 2) throw new FieldProblem(`${rule.name} "${item}" has more than one "-"`);
  if (bounds.length === 2 && bounds.some((b) => b === '' || b === '*' || b === '?')) {
    throw new FieldProblem(`${rule.name} "${item}" is not a range (N-M)`);
  }
  const start = value(bounds[0]!, rule);
  // "N/STEP" means from N to the field's maximum, as robfig/cron reads it.
  const end = bounds.length === 2 ? value(bounds[1]!, rule) : stepText !== undefined ? rule.max : start;
  if (start > end) throw new FieldProblem(`${rule.name} range ${range} ends before it starts`);
  for (let v = start; v <= end; v += step) values.add(v);
  return false;
}

function value(text: string, rule: FieldRule): number {
  const named = rule.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) {
    const expected = rule.namesHint ? `a number or a name (${rule.namesHint})` : 'a number';
    throw new FieldProblem(`${rule.name} "${text}" is not ${expected}`);
  }
  const n = Number(text);
  if (n < rule.min || n > rule.max) throw new FieldProblem(`${rule.name} ${n} is out of range ${rule.min}-${rule.max}`);
  return n;
}
