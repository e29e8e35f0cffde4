import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ListedObject, ObjectInfo, ObjectStore, PutOptions, StoredObject } from '../../src/storage/object-store.js';

/**
 * A store that stops reading the body of one key after `afterBytes` until the test releases
 * it: the backup writing into it stalls under backpressure at a known point, so a test can
 * look at what it shows meanwhile without any timing.
 */
export class GatedStore implements ObjectStore {
  /** Resolves once the gated body has passed `afterBytes` and stopped. */
  readonly reached: Promise<void>;
  private reachedNow!: () => void;
  private opened = false;
  private waiting: (() => void) | undefined;
  private released = false;

  constructor(
    private readonly inner: ObjectStore,
    private readonly gatedKey: (key: string) => boolean,
    private readonly afterBytes: number,
  ) {
    this.reached = new Promise((resolve) => (this.reachedNow = resolve));
  }

  get supportsRetention(): boolean {
    return this.inner.supportsRetention;
  }

  release(): void {
    this.released = true;
    this.waiting?.();
    this.waiting = undefined;
  }

  describe(): string {
    return this.inner.describe();
  }

  put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
    if (!this.gatedKey(key)) return this.inner.put(key, body, options);
    let seen = 0;
    const gate = new Transform({
      transform: (chunk: Buffer, _encoding, callback: TransformCallback) => {
        seen += chunk.length;
        if (this.released || seen < this.afterBytes || this.opened) {
          callback(null, chunk);
          return;
        }
        this.opened = true;
        this.waiting = () => callback(null, chunk);
        this.reachedNow();
      },
    });
    return this.inner.put(key, pipeline(body, gate, () => undefined), options);
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
