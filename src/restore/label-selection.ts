import { parseLabelSelector, type LabelSelector } from '../kube/label-selector.js';
import type { RestoreFilters } from './restore-filters.js';

/**
 * The item selector of `-l` or `--or-selector` (items matching any part), or undefined when
 * neither is given. Throws BadInputError on a malformed selector: call it before anything runs.
 */
export function compileLabelSelection(filters: Pick<RestoreFilters, 'labelSelector' | 'orSelectors'>): LabelSelector | undefined {
  if (filters.labelSelector !== undefined) return parseLabelSelector(filters.labelSelector, 'selector');
  if (filters.orSelectors.length === 0) return undefined;
  const parts = filters.orSelectors.map((s) => parseLabelSelector(s, 'or-selector'));
  return (labels) => parts.some((p) => p(labels));
}
