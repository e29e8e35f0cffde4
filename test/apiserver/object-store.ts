import { CollectionSnapshot, indexAfterIn, namespaceRangeIn, type OrderedObjects } from './collection-snapshot.js';
import { compareKeys } from './key-order.js';
import { objectKey, type StoredObject } from './stored-object.js';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: StoreEventType;
  storage: string;
  object: StoredObject;
  previous?: StoredObject;
}

/** The objects of one storage (one resource), with their key order cached between writes. */
export class Collection implements OrderedObjects {
  readonly items = new Map<string, StoredObject>();
  private sorted: string[] | null = null;
  private snapshotCache: CollectionSnapshot | null = null;

  /** Keys in etcd's byte order of `namespace/name`; recomputed only after an add or a removal. */
  sortedKeys(): string[] {
    if (!this.sorted) this.sorted = [...this.items.keys()].sort(compareKeys);
    return this.sorted;
  }

  get keys(): readonly string[] {
    return this.sortedKeys();
  }

  objectAt(index: number): StoredObject {
    return this.items.get(this.sortedKeys()[index] as string) as StoredObject;
  }

  /** After an add or a removal. */
  invalidateOrder(): void {
    this.sorted = null;
    this.snapshotCache = null;
  }

  /** After an object was replaced by a newer version of itself. */
  invalidateSnapshot(): void {
    this.snapshotCache = null;
  }

  /** The collection as it is now; shared by every list taken before the next write. */
  snapshot(): CollectionSnapshot {
    if (!this.snapshotCache) {
      const keys = this.sortedKeys();
      this.snapshotCache = new CollectionSnapshot(keys, keys.map((key) => this.items.get(key) as StoredObject));
    }
    return this.snapshotCache;
  }

  /** Index range [start, end) of a namespace's keys in sortedKeys(). */
  namespaceRange(namespace: string): [number, number] {
    return namespaceRangeIn(this.sortedKeys(), namespace);
  }

  /** Index of the first key strictly after `key`. */
  indexAfter(key: string): number {
    return indexAfterIn(this.sortedKeys(), key);
  }
}

export interface UidEntry {
  storage: string;
  key: string;
}

/**
 * All objects of the cluster, with the single resourceVersion counter, a uid index and an
 * owner index (owner uid -> dependents) for the garbage collector.
 */
export class ObjectStore {
  private rv = 0;
  private readonly collections = new Map<string, Collection>();
  private readonly uids = new Map<string, UidEntry>();
  private readonly dependents = new Map<string, Set<string>>();
  private readonly listeners: ((event: StoreEvent) => void)[] = [];

  currentRv(): number {
    return this.rv;
  }

  nextRv(): number {
    return ++this.rv;
  }

  onEvent(listener: (event: StoreEvent) => void): void {
    this.listeners.push(listener);
  }

  collection(storage: string): Collection {
    let c = this.collections.get(storage);
    if (!c) this.collections.set(storage, (c = new Collection()));
    return c;
  }

  get(storage: string, namespace: string, name: string): StoredObject | undefined {
    return this.collections.get(storage)?.items.get(objectKey(namespace, name));
  }

  byUid(uid: string): (UidEntry & { object: StoredObject }) | undefined {
    const entry = this.uids.get(uid);
    if (!entry) return undefined;
    const object = this.collections.get(entry.storage)?.items.get(entry.key);
    return object ? { ...entry, object } : undefined;
  }

  /** Dependents of an owner, as `storage` + key pairs. */
  dependentsOf(ownerUid: string): UidEntry[] {
    const set = this.dependents.get(ownerUid);
    if (!set) return [];
    return [...set].map((id) => {
      const cut = id.indexOf('|');
      return { storage: id.slice(0, cut), key: id.slice(cut + 1) };
    });
  }

  getByKey(storage: string, key: string): StoredObject | undefined {
    return this.collections.get(storage)?.items.get(key);
  }

  put(storage: string, object: StoredObject): void {
    const c = this.collection(storage);
    const previous = c.items.get(object.key);
    c.items.set(object.key, object);
    if (previous) c.invalidateSnapshot();
    else c.invalidateOrder();
    if (previous) this.unindexOwners(storage, previous);
    if (object.uid) this.uids.set(object.uid, { storage, key: object.key });
    this.indexOwners(storage, object);
    this.emit({ type: previous ? 'MODIFIED' : 'ADDED', storage, object, previous });
  }

  /** Removes an object; `last` is its final state (with the deletion's resourceVersion). */
  remove(storage: string, last: StoredObject): void {
    const c = this.collections.get(storage);
    const previous = c?.items.get(last.key);
    if (!c || !previous) return;
    c.items.delete(last.key);
    c.invalidateOrder();
    this.uids.delete(previous.uid);
    this.unindexOwners(storage, previous);
    this.emit({ type: 'DELETED', storage, object: last, previous });
  }

  /** Drops a whole storage (a CRD's custom resources) without per-object events. */
  dropStorage(storage: string): void {
    const c = this.collections.get(storage);
    if (!c) return;
    for (const obj of c.items.values()) {
      this.uids.delete(obj.uid);
      this.unindexOwners(storage, obj);
    }
    this.collections.delete(storage);
  }

  private indexOwners(storage: string, object: StoredObject): void {
    for (const owner of object.ownerUids) {
      let set = this.dependents.get(owner);
      if (!set) this.dependents.set(owner, (set = new Set()));
      set.add(`${storage}|${object.key}`);
    }
  }

  private unindexOwners(storage: string, object: StoredObject): void {
    for (const owner of object.ownerUids) {
      const set = this.dependents.get(owner);
      if (!set) continue;
      set.delete(`${storage}|${object.key}`);
      if (set.size === 0) this.dependents.delete(owner);
    }
  }

  private emit(event: StoreEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
