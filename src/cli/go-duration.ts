import { BadInputError } from '../errors.js';

/**
 * Durations written as Go writes them (`720h`, `30m`, `1h30m`, `1.5h`, `0`), because `--ttl`
 * values come from Velero habits and from schedule templates that Go tools may have written.
 * Same grammar as Go's time.ParseDuration; the result is in milliseconds.
 */
const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n,
  'μs': 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

/**
 * Go's Duration is an int64 of nanoseconds, and ParseDuration refuses what does not fit
 * (2562047h47m16.854775807s, about 292 years): a TTL beyond it is bad input here too, never a
 * date too far for the records. Counted in nanoseconds as Go does, so that the bound is exact.
 */
const maxNs = 2n ** 63n - 1n;
export const maxGoDuration = '2562047h47m16.854775807s';

export function parseGoDuration(text: string): number {
  const fail = (why: string) => new Error(`invalid duration "${text}": ${why}`);
  let rest = text;
  let negative = false;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest[0] === '-';
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw fail('empty');
  let totalNs = 0n;
  while (rest !== '') {
    const match = /^(\d*)(?:\.(\d*))?/.exec(rest)!;
    const [number, whole = '', fraction = ''] = match;
    if (whole === '' && fraction === '') throw fail('expected a number');
    rest = rest.slice(number.length);
    const unit = /^[^\d.]+/.exec(rest)?.[0];
    if (unit === undefined) throw fail('missing unit (use h, m, s, ms, us or ns)');
    const factor = unitNs[unit];
    if (factor === undefined) throw fail(`unknown unit "${unit}" (use h, m, s, ms, us or ns)`);
    rest = rest.slice(unit.length);
    // Fractions below a nanosecond are dropped, as Go drops them.
    totalNs += BigInt(whole || '0') * factor + (BigInt(fraction || '0') * factor) / 10n ** BigInt(fraction.length);
    if (totalNs > maxNs + (negative ? 1n : 0n)) throw fail(`out of range (at most ${maxGoDuration})`);
  }
  const ms = Number(totalNs) / 1e6;
  return negative ? -ms : ms;
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
