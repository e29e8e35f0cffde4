import cliProgress from 'cli-progress';
import readline from 'node:readline';
import { ProgressCounter, type ProgressReporter } from './progress-reporter.js';

/** Where a line shown above the bar goes: stderr (log lines) or stdout on the same terminal. */
export interface LineStream {
  write(chunk: string): unknown;
}

/** The parts of a terminal stream the bar draws on (a tty.WriteStream; tests pass a fake). */
export type BarStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/**
 * A progress bar on a terminal's stderr (stdout stays for results): items done / total (the
 * total grows as lists report their sizes), rate and elapsed time.
 *
 * Lines written while it shows (warnings, a dry run's plan) must go through writeLine: the bar
 * owns the terminal's last line, and anything written behind its back is overwritten by its
 * next frame. cli-progress's MultiBar (here with one bar) is used rather than its SingleBar:
 * SingleBar saves the cursor when it starts and jumps back there to clear itself when it stops,
 * over whatever was printed in between; MultiBar redraws in place, announces each redraw
 * ('redraw-pre', the cursor at the start of the bar's line), and clears from there when it stops.
 */
export class TerminalProgress implements ProgressReporter {
  private readonly counter = new ProgressCounter();
  private readonly bars: cliProgress.MultiBar;
  private readonly bar: cliProgress.SingleBar;
  private readonly pending: { stream: LineStream; text: string }[] = [];
  private current = '';
  private active = true;

  constructor(private readonly stream: BarStream = process.stderr) {
    this.bars = new cliProgress.MultiBar(
      {
        stream: stream as NodeJS.WritableStream,
        format: '{bar} {value}/{total} items | {rate}/s | {duration_formatted} | {stage}',
        hideCursor: true,
        clearOnComplete: true,
        // Log lines longer than the terminal must wrap, not be cut off; the bar itself is cut
        // to the terminal's width by cli-progress.
        linewrap: true,
        // Lines written above the bar clear its line: it is drawn again even when unchanged.
        forceRedraw: true,
        // Nothing is known yet at 0/0: an empty bar, not a full one.
        emptyOnZero: true,
        fps: 5,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bars.on('redraw-pre', () => this.flushLines());
    this.bar = this.bars.create(0, 0, { rate: 0, stage: '' });
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

  /**
   * A whole line (ending in a newline) for stream, shown above the bar: the bar's line is
   * cleared, the line written and the bar drawn again below it, at once, so that lines keep the
   * order they were written in across stderr and stdout. Once the bar is gone, lines are
   * written as they come.
   */
  writeLine(stream: LineStream, text: string): void {
    if (!this.active) {
      stream.write(text);
      return;
    }
    this.pending.push({ stream, text });
    this.bars.update();
  }

  finish(): void {
    if (!this.active) return;
    this.active = false;
    this.bars.stop();
  }

  /** Runs with the cursor at the start of the bar's line, before the bar is drawn there. */
  private flushLines(): void {
    if (this.pending.length === 0) return;
    // Cleared here rather than by MultiBar.log(), which writes to the bar's stream only: a
    // dry run's plan goes to stdout.
    readline.clearLine(this.stream, 0);
    for (const { stream, text } of this.pending.splice(0)) stream.write(text);
  }

  private payload(): { rate: number; stage: string } {
    return { rate: Math.round(this.counter.ratePerSecond), stage: this.current };
  }
}
