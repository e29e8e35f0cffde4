import { setTimeout as pause } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  /** The pause between checks; with maxPollIntervalMs, the first one, each next twice as long up to it. */
  pollIntervalMs: number;
  maxPollIntervalMs?: number;
  /** The pause itself: for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Calls `check` until it gives an answer, pausing between calls; undefined once timeoutMs has
 * passed without one. The restore polls rather than watches: a few GETs cost less than a watch
 * and need no watch permission.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const { sleep = (ms: number) => pause(ms) } = options;
  for (let interval = options.pollIntervalMs; ; interval = Math.min(interval * 2, options.maxPollIntervalMs ?? interval)) {
    const answer = await check();
    if (answer !== undefined) return answer;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(interval, left));
  }
}
