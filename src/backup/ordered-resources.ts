import { BadInputError } from '../errors.js';

/**
 * `--ordered-resources`: resource (as the user wrote it, e.g. `pods`) → items that come first in
 * that order, `namespace/name` or `name` for cluster-scoped ones. Kept as strings so the record
 * stores it as the user gave it, and restore can read it back the same way.
 */
export type OrderedResources = Record<string, string[]>;

export interface OrderedItem {
  namespace?: string;
  name: string;
}

/**
 * Parses backup.md's syntax: `pods=ns1/pod1,ns1/pod2;persistentvolumes=pv4,pv8`, whitespace
 * around keys and items trimmed. Stricter than Velero only where Velero would silently keep a
 * meaningless value: empty entries, empty items, a key given twice.
 */
export function parseOrderedResources(text: string): OrderedResources {
  const fail = (why: string) => new BadInputError(`invalid --ordered-resources "${text}": ${why}`);
  if (text.trim() === '') throw fail('it is empty (expected resource=item,item;resource=item)');
  const result: OrderedResources = {};
  for (const rawEntry of text.split(';')) {
    const entry = rawEntry.trim();
    if (entry === '') throw fail('an entry is empty (a stray ";")');
    const parts = entry.split('=');
    if (parts.length !== 2) throw fail(`entry "${entry}" must have exactly one "=" (resource=item,item)`);
    const resource = parts[0]!.trim();
    if (resource === '') throw fail(`entry "${entry}" has no resource before "="`);
    if (/[\s/,]/.test(resource)) throw fail(`"${resource}" is not a resource name`);
    const items = parts[1]!.split(',').map((item) => item.trim());
    if (items.every((item) => item === '')) throw fail(`entry "${entry}" lists no items`);
    for (const item of items) {
      const problem = orderedItemProblem(item);
      if (problem) throw fail(`item "${item}" of ${resource} ${problem}`);
    }
    if (Object.hasOwn(result, resource)) throw fail(`${resource} is given twice`);
    result[resource] = items;
  }
  return result;
}

function orderedItemProblem(item: string): string | undefined {
  if (item === '') return 'is empty (a stray ",")';
  const parts = item.split('/');
  if (parts.length > 2) return 'must be namespace/name or name';
  if (parts.some((p) => p === '' || /\s/.test(p))) return 'must be namespace/name or name';
  return undefined;
}

export function parseOrderedItem(item: string): OrderedItem {
  const slash = item.indexOf('/');
  return slash < 0 ? { name: item } : { namespace: item.slice(0, slash), name: item.slice(slash + 1) };
}

/** The same text the flag takes, for records and messages. */
export function formatOrderedResources(ordered: OrderedResources): string {
  return Object.entries(ordered)
    .map(([resource, items]) => `${resource}=${items.join(',')}`)
    .join(';');
}
