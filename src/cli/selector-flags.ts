import { BadInputError } from '../errors.js';
import { parseLabelSelector } from '../kube/label-selector.js';

/**
 * `--or-selector "a=b or c=d"`: items matching any of the selectors. Each part is an ordinary
 * label selector (it may itself AND requirements with commas); the API server evaluates it.
 */
export function parseOrSelector(text: string): string[] {
  const parts = text.split(/\s+or\s+/).map((p) => p.trim());
  if (parts.some((p) => p === '')) {
    throw new BadInputError(`invalid --or-selector "${text}": expected selectors separated by " or ", e.g. "app=web or tier=db"`);
  }
  return parts;
}

/**
 * `-l` and `--or-selector` exclude each other (Velero's rule); checked before anything else runs.
 * Each selector is parsed with the API server's grammar here too: a schedule stores it for runs
 * to come, where a malformed one would only fail later, in the cluster.
 */
export function parseSelectors(selector: string | undefined, orSelector: string | undefined): { labelSelector?: string; orSelectors: string[] } {
  if (selector !== undefined && orSelector !== undefined) {
    throw new BadInputError('--selector (-l) and --or-selector cannot be used together: put the -l requirements into each --or-selector part');
  }
  if (selector !== undefined && selector.trim() === '') throw new BadInputError('--selector (-l): empty selector');
  if (selector !== undefined) parseLabelSelector(selector.trim(), 'selector');
  const orSelectors = orSelector === undefined ? [] : parseOrSelector(orSelector);
  for (const part of orSelectors) parseLabelSelector(part, 'or-selector');
  return {
    ...(selector !== undefined ? { labelSelector: selector.trim() } : {}),
    orSelectors,
  };
}
