import cliProgress from 'cli-progress';
import { ProgressCounter, type ProgressReporter } from './progress-reporter.js';

/**
 * A progress bar on a terminal's stderr (stdout stays for results): items done / total (the
 * total grows as lists report their sizes), rate and elapsed time.
 */
export class TerminalProgress implements ProgressReporter {
  private readonly counter = new ProgressCounter();
  private readonly bar: cliProgress.SingleBar;
  private current = '';

  constructor(stream: NodeJS.WriteStream = process.stderr) {
    this.bar = new cliProgress.SingleBar(
      {
        stream,
        format: '{bar} {value}/{total} items | {rate}/s | {duration_formatted} | {stage}',
        hideCursor: true,
        clearOnComplete: true,
        fps: 5,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(0, 0, { rate: 0, stage: '' });
  }

  expect(count: number): void {
    this.counter.expected += count;
    this.bar.setTotal(this.counter.total);
  }

  advance(count: number): void {
    this.counter.done += count;
    if (this.counter.done > this.counter.expected) this.bar.setTotal(this.counter.total);
    this.bar.update(this.counter.done, this.payload());
  }

  stage(label: string): void {
    this.current = label;
    this.bar.update(this.counter.done, this.payload());
  }

  finish(): void {
    this.bar.stop();
  }

  private payload(): { rate: number; stage: string } {
    return { rate: Math.round(this.counter.ratePerSecond), stage: this.current };
  }
}
