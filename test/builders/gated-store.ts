import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import type { ObjectStore, PutOptions, StoredObject } from '../../src/storage/object-store.js';
import { DelegatingStore } from './delegating-store.js';

/**
 * A store that stops reading the body of one key after `afterBytes` until the test releases
 * it: the backup writing into it stalls under backpressure at a known point, so a test can
 * look at what it shows meanwhile without any timing.
 */
export class GatedStore extends DelegatingStore {
  /** Resolves once the gated body has passed `afterBytes` and stopped. */
  readonly reached: Promise<void>;
  private reachedNow!: () => void;
  private opened = false;
  private waiting: (() => void) | undefined;
  private released = false;

  constructor(
    inner: ObjectStore,
    private readonly gatedKey: (key: string) => boolean,
    private readonly afterBytes: number,
  ) {
    super(inner);
    this.reached = new Promise((resolve) => (this.reachedNow = resolve));
  }

  release(): void {
    this.released = true;
    this.waiting?.();
    this.waiting = undefined;
  }

  override put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
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
}
