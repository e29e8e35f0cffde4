import type { IncomingHttpHeaders } from 'node:http';

export interface RetentionSeen {
  readonly mode: string;
  readonly retainUntil: Date;
}

/**
 * The retentions the server saw on writes, per key: what S3 Object Lock keeps with each
 * object version. s3rver knows nothing of object lock, so the proxy does this part.
 */
export class ObjectLockRegistry {
  private readonly retained = new Map<string, RetentionSeen>();
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

  written(key: string, retention: RetentionSeen | undefined): void {
    if (retention) this.retained.set(key, retention);
    else this.retained.delete(key);
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

  deleted(key: string): void {
    this.retained.delete(key);
  }

  /** The retention that forbids deleting the key now, if any. */
  blocksDelete(key: string, now: Date, bypassGovernance: boolean): RetentionSeen | undefined {
    const retention = this.retained.get(key);
    if (!retention || retention.retainUntil.getTime() <= now.getTime()) return undefined;
    if (retention.mode === 'GOVERNANCE' && bypassGovernance) return undefined;
    return retention;
  }
}
