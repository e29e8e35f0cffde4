import type { Readable } from 'node:stream';

/**
 * A flat key space of immutable objects: a directory or an S3 bucket (and prefix).
 * Keys are relative to the storage location, '/'-separated (see object-key.ts).
 * Every object is written once: put refuses a key that exists, so a bucket with
 * Object Lock or any write-once setting works (storage.md).
 */
export interface ObjectStore {
  /** Where the objects live, for people: no credentials, ever. */
  describe(): string;

  /** Whether put can keep objects under retention (S3 Object Lock). */
  readonly supportsRetention: boolean;

  /**
   * Writes `body` under `key`, streaming: the body is never held whole. Takes ownership of
   * the body: it is consumed, or destroyed when the write fails or is refused.
   * An object never appears half-written under its key.
   * @throws ObjectExistsError when the key exists; StorageError when the store fails.
   */
  put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject>;

  /** @throws ObjectNotFoundError */
  get(key: string): Promise<Readable>;

  head(key: string): Promise<ObjectInfo | undefined>;

  /** Every object whose key starts with `prefix` (a plain string prefix), in key order. */
  list(prefix: string): AsyncIterable<ListedObject>;

  /**
   * Removes the object; removing a key that does not exist is not an error.
   * @throws ObjectLockedError when retention forbids it.
   */
  delete(key: string): Promise<void>;

  /**
   * Whether the bucket has Object Lock, and its default retention: what `location check`
   * proves for a location with --object-lock, without writing an object it could not remove
   * (under compliance mode nobody can before its date). Stores that keep no retention do not
   * have the method.
   * @throws StorageError when the store cannot say (a missing permission, for one)
   */
  objectLock?(): Promise<BucketObjectLock>;

  /**
   * Writes that never finished and that no put will finish any more, because the process
   * writing them was killed: a directory's partial files, S3's incomplete multipart uploads
   * (invisible to list, yet kept, and billed, until aborted). Those older than `olderThan`
   * are removed, or with `dryRun` only counted; only this location's, never another
   * prefix's. Stores that leave no such debris do not have the method.
   * @returns how many were removed (or would be, with `dryRun`)
   */
  removeAbandonedWrites?(olderThan: Date, options?: AbandonedWritesOptions): Promise<number>;
}

export interface AbandonedWritesOptions {
  /** Count what would be removed, remove nothing. */
  readonly dryRun?: boolean;
  /**
   * Only writes to keys under these (relative to the location): a location at the root of a
   * bucket shares its partial uploads' listing with whatever else writes there.
   */
  readonly within?: readonly string[];
}

export type RetentionMode = 'GOVERNANCE' | 'COMPLIANCE';

export interface Retention {
  readonly mode: RetentionMode;
  readonly retainUntil: Date;
}

export interface BucketObjectLock {
  readonly enabled: boolean;
  /** What the bucket puts on objects written without a retention of their own. */
  readonly defaultRetention?: { readonly mode: RetentionMode; readonly days?: number; readonly years?: number };
}

export interface PutOptions {
  /** Put the object under retention (S3 Object Lock); stores without it refuse. */
  readonly retention?: Retention;
  readonly contentType?: string;
  /** Aborts the write, which rejects with the signal's reason; nothing is left under the key. */
  readonly signal?: AbortSignal;
}

/** What a record keeps of each artifact, and what put returns. */
export interface StoredObject {
  readonly key: string;
  readonly size: number;
  /** Lowercase hex. */
  readonly sha256: string;
}

export interface ObjectInfo {
  readonly size: number;
  readonly lastModified: Date;
  /** Present when the store reports a retention on the object. */
  readonly retention?: Retention;
}

export interface ListedObject {
  readonly key: string;
  readonly size: number;
  readonly lastModified: Date;
}
