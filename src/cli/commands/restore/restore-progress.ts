import cliProgress from 'cli-progress';
import type { Logger } from '../../../log/logger.js';
import type { RestoreProgress } from '../../../restore/restore-tally.js';

const logEveryMs = 5000;

/**
 * Progress of a restore (cli.md): a bar on stderr when it is a terminal, else a log line every
 * few seconds. Never on stdout.
 */
export class RestoreProgressReporter {
  private bar: cliProgress.SingleBar | undefined;
  private lastLog = 0;
  private readonly started = Date.now();

  constructor(
    private readonly logger: Logger,
    private readonly tty: boolean = process.stderr.isTTY === true,
  ) {}

  update(progress: RestoreProgress): void {
    if (this.tty) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: 'restoring [{bar}] {value}/{total} items | {rate} items/s | {duration_formatted}', hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(progress.total, 0, { rate: 0 });
      }
      this.bar.update(progress.done, { rate: Math.round(progress.done / Math.max(0.001, (Date.now() - this.started) / 1000)) });
      return;
    }
    if (Date.now() - this.lastLog >= logEveryMs || progress.done === progress.total) {
      this.lastLog = Date.now();
      this.logger.log('info', 'restore progress', { done: progress.done, total: progress.total, elapsedSeconds: Math.round((Date.now() - this.started) / 1000) });
    }
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
