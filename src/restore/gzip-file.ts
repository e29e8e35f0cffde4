import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import zlib from 'node:zlib';

/**
 * A local file written through gzip while a restore runs (its log, its resource list). Each is
 * stored once with the record at the end (storage.md: written once), so nothing reaches the
 * location before the restore is done, and a dry run or bad input leaves nothing there.
 */
export class GzipFile {
  /** Uncompressed text goes in here. */
  readonly input: Writable = zlib.createGzip();
  private readonly done: Promise<void>;

  constructor(readonly file: string) {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    this.input.pipe(out);
    this.done = once(out, 'close').then(() => undefined);
  }

  /** Ends the input if its writer did not, and waits until the file is complete. */
  async close(): Promise<void> {
    if (!this.input.writableEnded) this.input.end();
    await this.done;
  }
}
