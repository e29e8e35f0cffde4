import type { Logger } from '../log/logger.js';
import { ProgressCounter, type ProgressReporter } from './progress-reporter.js';

export interface LogProgressOptions {
  now?: () => number;
  /** Schedules the periodic line; tests pass their own. */
  every?: (ms: number, tick: () => void) => { stop(): void };
}

/** Milliseconds between two progress lines. */
const intervalMs = 10_000;

/** Without a terminal, progress goes to the log: one line every interval while work goes on. */
export class LogProgress implements ProgressReporter {
  private readonly counter: ProgressCounter;
  private readonly timer: { stop(): void };
  private current = '';
  private lastDone = -1;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
    options: LogProgressOptions = {},
  ) {
    this.counter = new ProgressCounter(options.now);
    const every = options.every ?? defaultEvery;
    this.timer = every(intervalMs, () => this.tick());
  }

  expect(count: number): void {
    this.counter.expected += count;
  }

  advance(count: number): void {
    this.counter.done += count;
  }

  stage(label: string): void {
    this.current = label;
  }

  finish(): void {
    this.timer.stop();
  }

  /** Logs a line unless nothing moved since the last one. */
  tick(): void {
    if (this.counter.done === this.lastDone) return;
    this.lastDone = this.counter.done;
    this.logger.log('info', `${this.what} progress`, {
      itemsDone: this.counter.done,
      itemsTotal: this.counter.total,
      itemsPerSecond: Math.round(this.counter.ratePerSecond),
      elapsedSeconds: Math.round(this.counter.elapsedMs / 1000),
      resource: this.current || undefined,
    });
  }
}

function defaultEvery(ms: number, tick: () => void): { stop(): void } {
  const handle = setInterval(tick, ms);
  handle.unref();
  return { stop: () => clearInterval(handle) };
}
