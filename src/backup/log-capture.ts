import type { Writable } from 'node:stream';
import { formatLogLine, type LogFields, type Logger, type LogLevel } from '../log/logger.js';

/**
 * Keeps every log line of a backup for its log artifact (one JSON object a line, storage.md).
 * Lines logged before the artifact's stream exists wait in memory (there are few: discovery
 * and planning); after attach() they go straight into the stream.
 */
export class LogCapture implements Logger {
  private pending: string[] = [];
  private sink: Writable | undefined;
  private closed = false;

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (this.closed) return;
    const line = `${formatLogLine('json', level, message, fields, new Date())}\n`;
    if (this.sink) this.sink.write(line);
    else this.pending.push(line);
  }

  attach(sink: Writable): void {
    this.sink = sink;
    for (const line of this.pending) sink.write(line);
    this.pending = [];
  }

  /** No more lines: ends the attached stream. */
  close(): void {
    this.closed = true;
    this.sink?.end();
  }
}
