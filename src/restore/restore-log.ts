import { formatLogLine, type LogFields, type Logger, type LogLevel } from '../log/logger.js';
import { GzipFile } from './gzip-file.js';

/**
 * The restore's own log, every level, one JSON object a line, gzipped into a local file while
 * the restore runs, and stored with its record at the end (storage.md: written once).
 */
export class GzipLogFile implements Logger {
  private readonly gzip: GzipFile;
  private closed = false;
  private pending: string[] = [];
  private pendingBytes = 0;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.gzip = new GzipFile(file);
  }

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    // Lines after close (the record is being written) belong to the console only.
    if (this.closed) return;
    const line = formatLogLine('json', level, message, fields, this.now()) + '\n';
    // Lines go to gzip in batches: one write per line costs more than the line (a restore logs every item).
    this.pending.push(line);
    this.pendingBytes += line.length;
    if (this.pendingBytes >= 64 * 1024) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.gzip.input.write(this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Ends the file; later lines are dropped. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.flush();
    }
    await this.gzip.close();
  }
}
