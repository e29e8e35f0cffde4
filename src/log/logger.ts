import { printable } from '../backup-records/printable.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | undefined>;

/** What engines log through; they never write to a stream themselves. */
export interface Logger {
  log(level: LogLevel, message: string, fields?: LogFields): void;
}

export type LogFormat = 'text' | 'json';

/** One line per entry: `json` for machines (and pods), `text` for people. */
export class StreamLogger implements Logger {
  constructor(
    private readonly out: { write(chunk: string): unknown },
    private readonly format: LogFormat,
    private readonly minLevel: LogLevel = 'info',
    private readonly now: () => Date = () => new Date(),
  ) {}

  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    if (rank[level] < rank[this.minLevel]) return;
    this.out.write(formatLogLine(this.format, level, message, fields, this.now()) + '\n');
  }
}

const rank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export function formatLogLine(format: LogFormat, level: LogLevel, message: string, fields: LogFields, time: Date): string {
  // JSON.stringify leaves out undefined fields itself; a restore writes a line for every item.
  if (format === 'json') return JSON.stringify({ time: time.toISOString(), level, msg: message, ...fields });
  const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
  const rest = defined.map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : String(v)}`).join(' ');
  // For a terminal: names and messages may come from an archive or storage, and must not move the cursor or recolour it.
  return printable(`${time.toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${rest ? ` ${rest}` : ''}`);
}

/** Sends every entry to several loggers: the console and the backup's own log artifact. */
export class TeeLogger implements Logger {
  constructor(private readonly targets: Logger[]) {}

  log(level: LogLevel, message: string, fields?: LogFields): void {
    for (const target of this.targets) target.log(level, message, fields);
  }
}

export const silentLogger: Logger = { log: () => undefined };
