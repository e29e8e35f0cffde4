import fs from 'node:fs';
import { once } from 'node:events';
import zlib from 'node:zlib';
import { formatLogLine, type LogFields, type Logger, type LogLevel } from '../log/logger.js';

/**
 * The restore's own log, every level, one JSON object a line, gzipped into a local file while
 * the restore runs, and stored with its record at the end (storage.md: written once).
 */
export class GzipLogFile implements Logger {
  private readonly gzip = zlib.createGzip();
  private readonly done: Promise<void>;
  private closed = false;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    const out = fs.createWriteStream(file, { mode: 0o600 });
    this.gzip.pipe(out);
    this.done = once(out, 'close').then(() => undefined);
  }

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    // Lines after close (the record is being written) belong to the console only.
    if (this.closed) return;
    this.gzip.write(formatLogLine('json', level, message, fields, this.now()) + '\n');
  }

  /** Ends the file; later lines are dropped. */
  async close(): Promise<void> {
    if (this.closed) return this.done;
    this.closed = true;
    this.gzip.end();
    await this.done;
  }
}
