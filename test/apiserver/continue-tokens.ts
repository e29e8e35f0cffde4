import { badRequest, expired } from './api-error.js';
import type { OrderedObjects } from './collection-snapshot.js';

const EXPIRED_MESSAGE = 'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export interface ContinuePosition {
  /**
   * The resourceVersion of the list the token belongs to; negative (-1) in the token a 410 for a
   * stale one carries, which continues at the latest resourceVersion.
   */
  rv: number;
  /** The store key of the last item already returned. */
  afterKey: string;
}

/**
 * Continue tokens in the real server's format (base64url of {"v","rv","start"}). A token
 * expires when its list resourceVersion is "compacted": older than the TTL, or on demand.
 * Until then the collections listed at that resourceVersion are kept as they were, so that
 * the rest of a list is read at its resourceVersion.
 */
export class ContinueTokens {
  private readonly issuedAt = new Map<number, number>();
  /** Per list resourceVersion, the snapshots of the storages listed at it. */
  private readonly snapshots = new Map<number, Map<string, OrderedObjects>>();

  constructor(private ttlMs: number) {}

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  /** A token for the rest of a list of `storage` at `rv`, whose remaining pages are read from `snapshot`. */
  encode(rv: number, lastKey: string, storage?: string, snapshot?: OrderedObjects): string {
    if (!this.issuedAt.has(rv)) {
      this.issuedAt.set(rv, Date.now());
      this.forgetOld();
    }
    if (storage !== undefined && snapshot) {
      let byStorage = this.snapshots.get(rv);
      if (!byStorage) this.snapshots.set(rv, (byStorage = new Map()));
      byStorage.set(storage, snapshot);
    }
    return encodeToken(rv, lastKey);
  }

  /** The snapshot a list of `storage` at `rv` is continued from; undefined when the token was issued without one. */
  snapshotOf(rv: number, storage: string): OrderedObjects | undefined {
    return this.snapshots.get(rv)?.get(storage);
  }

  /**
   * Throws 400 for a malformed token and 410 Expired for a stale one. As the real server's
   * (etcd3 handleCompactedErrorForPaging), the 410 carries a token at resourceVersion -1 from the
   * same key: a list continued with it is read at the latest resourceVersion, inconsistently.
   */
  decode(token: string): ContinuePosition {
    const position = decodeToken(token);
    if (position.rv > 0 && (!this.issuedAt.has(position.rv) || this.outlived(position.rv))) {
      throw expired(EXPIRED_MESSAGE, encodeToken(-1, position.afterKey));
    }
    return position;
  }

  /** Whether tokens of a list at `rv` are stale by age: a periodic compaction has passed since the first was issued. */
  outlived(rv: number): boolean {
    const issued = this.issuedAt.get(rv);
    return issued !== undefined && Date.now() - issued > this.ttlMs;
  }

  /** Makes every token issued so far stale, as an etcd compaction at the current revision does. */
  expireAll(): void {
    this.issuedAt.clear();
    this.snapshots.clear();
  }

  private forgetOld(): void {
    const cutoff = Date.now() - this.ttlMs;
    for (const [rv, at] of this.issuedAt) {
      if (at >= cutoff) break;
      this.issuedAt.delete(rv);
      this.snapshots.delete(rv);
    }
  }
}

function encodeToken(rv: number, lastKey: string): string {
  // As the real server's: the key right after the last one returned.
  const start = `${lastKey}\u0000`;
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start })).toString('base64url');
}

function decodeToken(token: string): ContinuePosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw badRequest(`invalid continue token: continue key is not valid: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw badRequest('invalid continue token: continue key is not valid');
  const { v, rv, start } = parsed as { v?: unknown; rv?: unknown; start?: unknown };
  if (v !== 'meta.k8s.io/v1') {
    throw badRequest(`invalid continue token: continue key is not valid: server does not recognize this encoded version ${String(v)}`);
  }
  if (typeof rv !== 'number' || rv === 0) {
    throw badRequest('invalid continue token: continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof start !== 'string' || start === '') {
    throw badRequest('invalid continue token: continue key is not valid: encoded start key empty (version meta.k8s.io/v1)');
  }
  const trimmed = start.endsWith('\u0000') ? start.slice(0, -1) : start;
  if (trimmed.includes('..')) throw badRequest(`invalid continue token: continue key is not valid: ${start}`);
  return { rv, afterKey: trimmed };
}
