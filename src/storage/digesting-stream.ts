import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/** Passes bytes through unchanged while counting them and computing their sha256. */
export class DigestingStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private bytes = 0;
  private digestHex: string | undefined;

  /** @param observe sees every chunk too, for a store that needs another digest of the same bytes */
  constructor(private readonly observe?: (chunk: Buffer) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
    this.observe?.(chunk);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.digestHex = this.hash.digest('hex');
    callback();
  }

  /** Not `size`: lib-storage takes a body's `size` for its length before reading it. */
  get byteCount(): number {
    return this.bytes;
  }

  /** The sha256 in lowercase hex; only once every byte went through. */
  get sha256(): string {
    if (this.digestHex === undefined) throw new Error('sha256 asked for before the stream ended');
    return this.digestHex;
  }
}
