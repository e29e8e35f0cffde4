/**
 * What an engine tells about its progress. The engine never knows whether a terminal bar,
 * log lines or nothing at all is behind it.
 */
export interface ProgressReporter {
  /** More items are expected (totals become known list by list). */
  expect(count: number): void;
  /** Items done. */
  advance(count: number): void;
  /** What is being worked on now, e.g. a resource type. */
  stage(label: string): void;
  /** Ends the display; the final summary is printed by the command. */
  finish(): void;
}

export const noProgress: ProgressReporter = {
  expect: () => undefined,
  advance: () => undefined,
  stage: () => undefined,
  finish: () => undefined,
};

/** Counts shared by the reporters: done, expected, rate. */
export class ProgressCounter {
  done = 0;
  expected = 0;
  readonly startedAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.startedAt = now();
  }

  /** The expected total can lag behind what is done (estimates); never show less than done. */
  get total(): number {
    return Math.max(this.expected, this.done);
  }

  get elapsedMs(): number {
    return this.now() - this.startedAt;
  }

  get ratePerSecond(): number {
    const seconds = this.elapsedMs / 1000;
    return seconds > 0 ? this.done / seconds : 0;
  }
}
