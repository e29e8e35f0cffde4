import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { SlabWriter } from './slab-writer.js';
import { formatVersion, itemEntry, versionEntry, type ItemLocation } from './archive-paths.js';

export interface ArchiveWriterOptions {
  /** mtime of every entry: the backup's start, so the same objects give the same archive. */
  mtime?: Date;
}

export interface ArchiveItem {
  location: ItemLocation;
  body: Buffer;
}

/** zlib level: speed first, the archive being mostly repetitive JSON. */
const gzipLevel = 1;

/**
 * Bytes handed to zlib at once, and the size of its output chunks: small chunks each cost a
 * thread-pool round trip (zlib's 16 KiB output chunks made a 100k-item backup ~8% slower).
 */
const gzipChunkBytes = 256 * 1024;

/**
 * Builds a backup archive (storage.md, Archive) as a stream: tar entries through gzip into
 * `output`, which the caller hands to the object store. Nothing is held beyond the streams'
 * own buffers and one chunk of tar bytes: writes wait while the consumer is behind.
 */
export class ArchiveWriter {
  readonly output: Readable;
  private readonly pack = tar.pack();
  private readonly gzip = zlib.createGzip({ level: gzipLevel, chunkSize: gzipChunkBytes });
  private readonly slabs = new SlabWriter(this.gzip, gzipChunkBytes);
  private readonly mtime: Date;
  private failure: Error | undefined;
  private started = false;

  constructor(options: ArchiveWriterOptions = {}) {
    this.mtime = options.mtime ?? new Date();
    const out = new PassThrough();
    this.output = out;
    this.pack.on('error', (err: Error) => this.fail(err));
    this.gzip.on('error', (err) => this.fail(err));
    // The tar stream's many small chunks (headers, bodies, paddings) are joined before gzip.
    this.pack.on('data', (chunk: unknown) => {
      if (this.slabs.write(chunk as Buffer)) return;
      this.pack.pause();
      this.gzip.once('drain', () => this.pack.resume());
    });
    this.pack.on('end', () => this.slabs.end());
    this.gzip.pipe(out);
    // Failures reach the writer's caller through its promises; the consumer of the output
    // (an upload) may have failed and gone, and an 'error' event without a listener is thrown.
    out.on('error', () => undefined);
    // The consumer going away (a refused upload) must stop the producer, not leave it waiting.
    out.on('close', () => {
      if (!out.readableEnded && !this.failure) this.fail(new Error('archive output closed early'));
    });
  }

  /** Objects as `resources/RESOURCE[.GROUP]/...NAME.json`. Resolves once the consumer has taken them in. */
  async writeItems(items: readonly ArchiveItem[]): Promise<void> {
    if (!this.started) await this.start();
    await this.entries(items.map((item) => ({ name: itemEntry(item.location), body: item.body })));
  }

  /** Ends the archive; the output ends once the last bytes are through gzip. */
  async finish(): Promise<void> {
    if (!this.started) await this.start();
    if (this.failure) throw this.failure;
    this.pack.finalize();
  }

  /** Stops everything: the output stream errors with `err`. */
  abort(err: Error): void {
    this.fail(err);
  }

  /** `metadata/version` is the first entry. */
  private async start(): Promise<void> {
    this.started = true;
    await this.entries([{ name: versionEntry, body: Buffer.from(`${formatVersion}\n`) }]);
  }

  /** Resolves once every entry is taken in; rejects with the archive's failure once there is one. */
  private entries(entries: readonly { name: string; body: Buffer }[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      let next = 0;
      // Each entry is added once the one before it is in. Added all at once, every entry but
      // the first waits as a stream of its own inside tar-stream, which cost ~20% more CPU
      // (10k entries in a fresh process, the case of every backup).
      const add = (err?: Error | null) => {
        if (err) {
          reject(this.failure ?? err);
          return;
        }
        if (next === entries.length) {
          resolve();
          return;
        }
        const { name, body } = entries[next++]!;
        const sink = this.pack.entry({ name, size: body.length, mtime: this.mtime, mode: 0o644, type: 'file' }, body, add);
        // A failed pack destroys the entry: `add` hears of it, and an 'error' event without a
        // listener would be thrown.
        sink.on('error', noop);
      };
      add();
    });
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    this.pack.destroy(err);
    this.gzip.destroy(err);
    (this.output as PassThrough).destroy(err);
  }
}

function noop(): void {}
