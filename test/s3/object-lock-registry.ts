import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface RetentionSeen {
  readonly mode: string;
  readonly retainUntil: Date;
}

/**
 * The retentions the server saw on writes, per key: what S3 Object Lock keeps with each
 * object version. s3rver knows nothing of object lock, so the proxy does this part.
 * Object Lock buckets are versioned: each retained write is a version with its ID, and a
 * delete without a version ID only hides the key behind a delete marker, which retention
 * never forbids; the version and its data stay.
 */
export class ObjectLockRegistry {
  private readonly retained = new Map<string, RetentionSeen>();
  private readonly versions = new Map<string, string>();
  /** Keys whose retained version a delete marker hides. */
  private readonly hidden = new Set<string>();
  /** Retentions of multipart uploads in progress, which take effect when they complete. */
  private readonly pending = new Map<string, RetentionSeen>();

  static fromHeaders(headers: IncomingHttpHeaders): RetentionSeen | undefined {
    const mode = headers['x-amz-object-lock-mode'];
    const until = headers['x-amz-object-lock-retain-until-date'];
    if (typeof mode !== 'string' || typeof until !== 'string') return undefined;
    const retainUntil = new Date(until);
    return Number.isNaN(retainUntil.getTime()) ? undefined : { mode, retainUntil };
  }

  hasAny(): boolean {
    return this.retained.size > 0;
  }

  get(key: string): RetentionSeen | undefined {
    return this.retained.get(key);
  }

  /** The ID of the key's current version, when it is retained. */
  versionOf(key: string): string | undefined {
    return this.versions.get(key);
  }

  /** Keys whose retained version a delete marker hides: data S3 still keeps, out of sight. */
  hiddenKeys(): string[] {
    return [...this.hidden].sort();
  }

  written(key: string, retention: RetentionSeen | undefined): void {
    if (retention) {
      this.retained.set(key, retention);
      this.versions.set(key, randomBytes(16).toString('hex'));
    } else {
      this.retained.delete(key);
      this.versions.delete(key);
    }
  }

  uploadStarted(key: string, retention: RetentionSeen | undefined): void {
    if (retention) this.pending.set(key, retention);
  }

  /** The retention a multipart upload in progress of the key will take. */
  pendingFor(key: string): RetentionSeen | undefined {
    return this.pending.get(key);
  }

  uploadCompleted(key: string): void {
    this.written(key, this.pending.get(key));
    this.pending.delete(key);
  }

  deleted(key: string, versionId: string | undefined): void {
    if (versionId === undefined && this.retained.has(key)) this.hidden.add(key);
    this.retained.delete(key);
    this.versions.delete(key);
  }

  /**
   * The retention that forbids the delete now, if any: only that of the version it names.
   * A delete without a version ID adds a delete marker, which S3 always allows.
   */
  blocksDelete(key: string, versionId: string | undefined, now: Date, bypassGovernance: boolean): RetentionSeen | undefined {
    if (versionId === undefined || versionId !== this.versions.get(key)) return undefined;
    const retention = this.retained.get(key);
    if (!retention || retention.retainUntil.getTime() <= now.getTime()) return undefined;
    if (retention.mode === 'GOVERNANCE' && bypassGovernance) return undefined;
    return retention;
  }
}
