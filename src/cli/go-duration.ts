import { BadInputError } from '../errors.js';

/**
 * Durations written as Go writes them (`720h`, `30m`, `1h30m`, `1.5h`, `0`), because `--ttl`
 * values come from Velero habits and from schedule templates that Go tools may have written.
 * Same grammar as Go's time.ParseDuration; the result is in milliseconds.
 */
const unitMs: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3,
  'μs': 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

export function parseGoDuration(text: string): number {
  const fail = (why: string) => new Error(`invalid duration "${text}": ${why}`);
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1 : 1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw fail('empty');
  let total = 0;
  while (rest !== '') {
    const match = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [number, whole = '', fraction] = match;
    if (whole === '' && (fraction === undefined || fraction === '')) throw fail('expected a number');
    rest = rest.slice(number.length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw fail('missing unit (use h, m, s, ms, us or ns)');
    const factor = unitMs[unit];
    if (factor === undefined) throw fail(`unknown unit "${unit}" (use h, m, s, ms, us or ns)`);
    rest = rest.slice(unit.length);
    total += Number(`${whole || '0'}.${fraction || '0'}`) * factor;
  }
  if (!Number.isFinite(total)) throw fail('out of range');
  return sign * total;
}

/** A `--ttl`-like flag: a Go duration that is zero or positive; errors name the flag. */
export function parseNonNegativeDuration(flag: string, text: string): number {
  let ms: number;
  try {
    ms = parseGoDuration(text.trim());
  } catch (err) {
    throw new BadInputError(`--${flag}: ${(err as Error).message}`);
  }
  if (ms < 0) throw new BadInputError(`--${flag}: invalid duration "${text}": must not be negative`);
  return Math.round(ms);
}

/** Go's Duration.String() for whole milliseconds: `720h0m0s`, `1h30m0s`, `1.5s`, `0s`. */
export function formatGoDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(Math.round(ms));
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = (rest / 1000).toString();
  if (hours > 0) return `${sign}${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${sign}${minutes}m${seconds}s`;
  return `${sign}${seconds}s`;
}
