import { compareKeys } from './key-order.js';
import type { StoredObject } from './stored-object.js';

/** Objects in key order, as a LIST reads them. */
export interface OrderedObjects {
  readonly keys: readonly string[];
  objectAt(index: number): StoredObject;
  namespaceRange(namespace: string): [number, number];
  indexAfter(key: string): number;
}

/**
 * A collection's objects as they were at one resourceVersion, in key order. The pages after a
 * LIST's first are read from it, as a real server reads them from etcd at the list's revision:
 * objects deleted since still appear, objects created since do not, modified ones appear as
 * they were.
 */
export class CollectionSnapshot implements OrderedObjects {
  constructor(
    readonly keys: readonly string[],
    private readonly objects: readonly StoredObject[],
  ) {}

  objectAt(index: number): StoredObject {
    return this.objects[index] as StoredObject;
  }

  namespaceRange(namespace: string): [number, number] {
    return namespaceRangeIn(this.keys, namespace);
  }

  indexAfter(key: string): number {
    return indexAfterIn(this.keys, key);
  }
}

/** Index range [start, end) of a namespace's keys in sorted `keys`. */
export function namespaceRangeIn(keys: readonly string[], namespace: string): [number, number] {
  // The keys of a namespace are those starting `namespace/`: every one sorts below `namespace0` ('0' follows '/').
  return [lowerBound(keys, `${namespace}/`), lowerBound(keys, `${namespace}0`)];
}

/** Index of the first key strictly after `key` in sorted `keys`. */
export function indexAfterIn(keys: readonly string[], key: string): number {
  let i = lowerBound(keys, key);
  if (i < keys.length && keys[i] === key) i++;
  return i;
}

function lowerBound(keys: readonly string[], target: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid] as string, target) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
