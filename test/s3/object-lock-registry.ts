import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface RetentionSeen {
  readonly mode: string;
  readonly retainUntil: Date;
}

export interface ObjectVersion {
  readonly versionId: string;
  readonly deleteMarker: boolean;
  readonly retention?: RetentionSeen;
  readonly lastModified: Date;
}

/** A version as ListObjectVersions shows it. */
export interface ListedVersion extends ObjectVersion {
  readonly key: string;
  readonly isLatest: boolean;
}

/**
 * The versions of the keys the server versions, with the retention S3 Object Lock keeps with
 * each. s3rver knows neither, so the proxy does this part; s3rver holds the data of a key's
 * current version only.
 *
 * A versioned bucket (every Object Lock bucket is one) keeps each write as a version with its
 * ID, and a delete without a version ID only hides the key behind a delete marker, which
 * retention never forbids: the version and its data stay. A delete naming a version removes
 * it, unless its retention forbids that. In a bucket that is not versioned, only keys written
 * with a retention are versioned, so that retention can be tried on any bucket.
 */
export class ObjectLockRegistry {
  /** Per versioned key, its versions and delete markers, oldest first. */
  private readonly versions = new Map<string, ObjectVersion[]>();
  /** Retentions of multipart uploads in progress, which take effect when they complete. */
  private readonly pending = new Map<string, RetentionSeen>();

  constructor(private readonly versionedBucket = false) {}

  static fromHeaders(headers: IncomingHttpHeaders): RetentionSeen | undefined {
    const mode = headers['x-amz-object-lock-mode'];
    const until = headers['x-amz-object-lock-retain-until-date'];
    if (typeof mode !== 'string' || typeof until !== 'string') return undefined;
    const retainUntil = new Date(until);
    return Number.isNaN(retainUntil.getTime()) ? undefined : { mode, retainUntil };
  }

  hasAny(): boolean {
    return [...this.versions.values()].some((versions) => versions.some((version) => version.retention !== undefined));
  }

  /** The retention of the key's current version. */
  get(key: string): RetentionSeen | undefined {
    return this.current(key)?.retention;
  }

  /** The ID of the key's current version, when the key is versioned and not hidden. */
  versionOf(key: string): string | undefined {
    return this.current(key)?.versionId;
  }

  find(key: string, versionId: string): ObjectVersion | undefined {
    return this.versions.get(key)?.find((version) => version.versionId === versionId);
  }

  /**
   * Whether the version is the key's current one: its newest, unless that is a delete marker (then
   * the key has no current version, and this is false even for the marker's own ID). s3rver
   * holds the data of the last write only, so once the current version or a newer marker is
   * deleted by its ID, an older version becomes current here without data to serve. The store
   * under test deletes every version of a key, which this models; deleting some of them one by
   * one is not.
   */
  isCurrent(key: string, versionId: string): boolean {
    return this.versionOf(key) === versionId;
  }

  /** Keys with versions a delete marker or a newer version hides: data S3 still keeps, out of sight. */
  hiddenKeys(): string[] {
    const hidden: string[] = [];
    for (const [key, versions] of this.versions) {
      const current = this.current(key);
      if (versions.some((version) => !version.deleteMarker && version !== current)) hidden.push(key);
    }
    return hidden.sort();
  }

  /** Every version and delete marker of the keys under `prefix`, by key, newest first, as ListObjectVersions orders them. */
  list(prefix: string): ListedVersion[] {
    const keys = [...this.versions.keys()].filter((key) => key.startsWith(prefix)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    return keys.flatMap((key) => {
      const versions = this.versions.get(key) ?? [];
      return versions.map((version, i) => ({ ...version, key, isLatest: i === versions.length - 1 })).reverse();
    });
  }

  written(key: string, retention: RetentionSeen | undefined, at: Date): void {
    const versions = this.versions.get(key);
    if (!versions && !retention && !this.versionedBucket) return;
    const version = { versionId: newVersionId(), deleteMarker: false, lastModified: at, ...(retention ? { retention } : {}) };
    this.versions.set(key, [...(versions ?? []), version]);
  }

  uploadStarted(key: string, retention: RetentionSeen | undefined): void {
    if (retention) this.pending.set(key, retention);
  }

  /** The retention a multipart upload in progress of the key will take. */
  pendingFor(key: string): RetentionSeen | undefined {
    return this.pending.get(key);
  }

  uploadCompleted(key: string, at: Date): void {
    this.written(key, this.pending.get(key), at);
    this.pending.delete(key);
  }

  /**
   * A delete without a version ID adds a delete marker to a versioned key; one naming a version
   * removes it. Undefined when nothing is versioned: the key's data simply goes.
   */
  deleted(key: string, versionId: string | undefined, at: Date): { versionId: string; deleteMarker: boolean } | undefined {
    const versions = this.versions.get(key);
    if (!versions) return undefined;
    if (versionId === undefined) {
      const marker = { versionId: newVersionId(), deleteMarker: true, lastModified: at };
      versions.push(marker);
      return marker;
    }
    const gone = versions.find((version) => version.versionId === versionId);
    if (!gone) return undefined;
    const left = versions.filter((version) => version !== gone);
    if (left.length === 0) this.versions.delete(key);
    else this.versions.set(key, left);
    return { versionId, deleteMarker: gone.deleteMarker };
  }

  /**
   * The retention that forbids the delete now, if any: only that of the version it names.
   * A delete without a version ID adds a delete marker, which S3 always allows.
   */
  blocksDelete(key: string, versionId: string | undefined, now: Date, bypassGovernance: boolean): RetentionSeen | undefined {
    if (versionId === undefined) return undefined;
    const retention = this.find(key, versionId)?.retention;
    if (!retention || retention.retainUntil.getTime() <= now.getTime()) return undefined;
    if (retention.mode === 'GOVERNANCE' && bypassGovernance) return undefined;
    return retention;
  }

  private current(key: string): ObjectVersion | undefined {
    const latest = this.versions.get(key)?.at(-1);
    return latest && !latest.deleteMarker ? latest : undefined;
  }
}

function newVersionId(): string {
  return randomBytes(16).toString('hex');
}
