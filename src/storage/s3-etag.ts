import { createHash, type Hash } from 'node:crypto';

/**
 * The ETag S3 gives an object uploaded by lib-storage with a given part size: the MD5 of the
 * body when it fits one part (a plain PutObject), else the MD5 of the parts' MD5s and "-N".
 * It lets a write whose response was lost, and whose retry the store then refused because the
 * key existed, recognise that the object there is its own. Stores that encrypt with KMS use
 * other ETags; the comparison then fails safe (the write is reported refused).
 */
export class S3ETag {
  private readonly partDigests: Buffer[] = [];
  private part: Hash = createHash('md5');
  private partBytes = 0;

  constructor(private readonly partSize: number) {}

  update(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      // A part is closed only when more bytes follow, as lib-storage splits: a body of exactly
      // N parts' size has N parts, not an empty N+1st.
      if (this.partBytes === this.partSize) {
        this.partDigests.push(this.part.digest());
        this.part = createHash('md5');
        this.partBytes = 0;
      }
      const take = Math.min(this.partSize - this.partBytes, chunk.length - offset);
      this.part.update(chunk.subarray(offset, offset + take));
      this.partBytes += take;
      offset += take;
    }
  }

  /** The ETag, quotes included as S3 sends it; call once, after the last update. */
  value(): string {
    const last = this.part.digest();
    if (this.partDigests.length === 0) return `"${last.toString('hex')}"`;
    const all = [...this.partDigests, last];
    return `"${createHash('md5').update(Buffer.concat(all)).digest('hex')}-${all.length}"`;
  }
}
