import { PassThrough, type Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { formatVersion, itemEntry, versionEntry, type ItemLocation } from './archive-paths.js';

export interface ArchiveWriterOptions {
  /** zlib level; the default favours speed, the archive being mostly repetitive JSON. */
  gzipLevel?: number;
  /** mtime of every entry: the backup's start, so the same objects give the same archive. */
  mtime?: Date;
}

/**
 * Builds a backup archive (storage.md, Archive) as a stream: tar entries through gzip into
 * `output`, which the caller hands to the object store. Nothing is held beyond the streams'
 * own buffers: write calls wait while the consumer is behind.
 */
export class ArchiveWriter {
  readonly output: Readable;
  private readonly pack = tar.pack();
  private readonly mtime: Date;
  private failure: Error | undefined;
  private started = false;

  constructor(options: ArchiveWriterOptions = {}) {
    this.mtime = options.mtime ?? new Date();
    const gzip = zlib.createGzip({ level: options.gzipLevel ?? 1 });
    const out = new PassThrough();
    this.pack.on('error', (err: Error) => this.fail(err, gzip, out));
    gzip.on('error', (err) => this.fail(err, gzip, out));
    this.pack.pipe(gzip).pipe(out);
    // The consumer going away (a refused upload) must stop the producer, not leave it waiting.
    out.on('close', () => {
      if (!out.readableEnded && !this.failure) this.fail(new Error('archive output closed early'), gzip, out);
    });
    this.output = out;
  }

  /** `metadata/version` must be the first entry; called by the first write. */
  private async start(): Promise<void> {
    this.started = true;
    await this.entry(versionEntry, Buffer.from(`${formatVersion}\n`));
  }

  /** One object as `resources/RESOURCE[.GROUP]/...NAME.json`. Resolves once it is accepted. */
  async writeItem(location: ItemLocation, body: Buffer): Promise<void> {
    if (!this.started) await this.start();
    await this.entry(itemEntry(location), body);
  }

  /** Ends the archive; the output ends once the last bytes are through gzip. */
  async finish(): Promise<void> {
    if (!this.started) await this.start();
    if (this.failure) throw this.failure;
    this.pack.finalize();
  }

  /** Stops everything: the output stream errors with `err`. */
  abort(err: Error): void {
    this.pack.destroy(err);
  }

  private entry(name: string, body: Buffer): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pack.entry({ name, size: body.length, mtime: this.mtime, mode: 0o644, type: 'file' }, body, (err?: Error | null) => {
        if (err) reject(this.failure ?? err);
        else resolve();
      });
    });
  }

  private fail(err: Error, gzip: zlib.Gzip, out: PassThrough): void {
    if (this.failure) return;
    this.failure = err;
    this.pack.destroy(err);
    gzip.destroy(err);
    out.destroy(err);
  }
}
