import { Transform, type TransformCallback } from 'node:stream';

/**
 * Joins small chunks into large ones before compression: handed to zlib one by one, each
 * becomes a round trip to the thread pool, which costs more than compressing it. A stream any
 * writer can write to (a backup's resource list and log lines); the archive, which is hundreds
 * of megabytes of tar chunks, goes through SlabWriter instead, which reuses its buffers. Holds
 * at most `size` bytes.
 */
export class ChunkCoalescer extends Transform {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly size = 128 * 1024) {
    super({ writableHighWaterMark: size, readableHighWaterMark: size });
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.pending.push(buffer);
    this.pendingBytes += buffer.length;
    if (this.pendingBytes >= this.size) this.flushPending();
    callback();
  }

  override _flush(callback: TransformCallback): void {
    this.flushPending();
    callback();
  }

  private flushPending(): void {
    if (this.pendingBytes === 0) return;
    this.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingBytes));
    this.pending = [];
    this.pendingBytes = 0;
  }
}
