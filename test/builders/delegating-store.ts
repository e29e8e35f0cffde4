import type { Readable } from 'node:stream';
import type { ListedObject, ObjectInfo, ObjectStore, PutOptions, StoredObject } from '../../src/storage/object-store.js';

/** A store that passes every call on to `inner`: test stores extend it and override what they are about. */
export class DelegatingStore implements ObjectStore {
  constructor(protected readonly inner: ObjectStore) {}

  get supportsRetention(): boolean {
    return this.inner.supportsRetention;
  }

  describe(): string {
    return this.inner.describe();
  }

  put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
    return this.inner.put(key, body, options);
  }

  get(key: string): Promise<Readable> {
    return this.inner.get(key);
  }

  head(key: string): Promise<ObjectInfo | undefined> {
    return this.inner.head(key);
  }

  list(prefix: string): AsyncIterable<ListedObject> {
    return this.inner.list(prefix);
  }

  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}
