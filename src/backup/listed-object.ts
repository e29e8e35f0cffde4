import type { KubeObject, ObjectMeta } from '../kube/types.js';

/**
 * What a backup keeps of a listed object until it is written: its metadata, which is all that the
 * item rules, the scope filter and list positions read, and its stored form (item-rules.ts),
 * made as the object was parsed (type-collector.ts). The rest of the object is gone by then.
 */
export class ListedObject implements KubeObject {
  [key: string]: unknown;

  constructor(
    readonly metadata: ObjectMeta,
    /** Undefined for an object outside the backup's scope, which is never stored. */
    private readonly stored: Buffer | undefined,
  ) {}

  /** Whether it is in the backup's scope, as decided when it was parsed. */
  get inScope(): boolean {
    return this.stored !== undefined;
  }

  /** The stored form; only an object in the backup's scope has one. */
  storedForm(): Buffer {
    if (this.stored === undefined) throw new Error('an object outside the backup was not kept');
    return this.stored;
  }
}
