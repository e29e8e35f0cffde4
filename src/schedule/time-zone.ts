import { BadInputError } from '../errors.js';

// The API server's check of each part of a name (IANA naming rules, plus digits and '+').
const part = /^[A-Za-z.\-_0-9+]{1,14}$/;

/**
 * `--time-zone`: an IANA name as the API server accepts in `spec.timeZone`. Names are checked
 * against the time zone database Node carries (Intl); the controller's Go runtime loads the
 * same names, case-sensitively, so a name that differs only in case is refused with the right
 * spelling.
 */
export function validateTimeZone(zone: string, flag = '--time-zone'): string {
  const fail = (why: string) => new BadInputError(`invalid ${flag} "${zone}": ${why}`);
  if (zone === '') throw fail('it is empty; give an IANA time zone name such as Europe/Paris or UTC, or leave the flag out');
  if (zone.toLowerCase() === 'local') throw fail('it must be an explicit IANA time zone name such as Europe/Paris, not Local');
  if (zone.split('/').some((p) => p === '.' || p === '..' || p.startsWith('-') || !part.test(p))) {
    throw fail('not an IANA time zone name such as Europe/Paris or UTC');
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw fail('unknown time zone; give an IANA name such as Europe/Paris or UTC');
  }
  if (resolved !== zone && resolved.toLowerCase() === zone.toLowerCase()) throw fail(`time zone names are case-sensitive: did you mean ${resolved}?`);
  return zone;
}
