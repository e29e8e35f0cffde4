import { setTimeout as sleep } from 'node:timers/promises';

export interface PollOptions {
  timeoutMs: number;
  pollIntervalMs: number;
}

/**
 * Calls `check` until it gives an answer, at most every pollIntervalMs; undefined once
 * timeoutMs has passed without one. The restore polls rather than watches: a few GETs cost
 * less than a watch and need no watch permission.
 */
export async function pollUntil<T>(check: () => Promise<T | undefined>, options: PollOptions): Promise<T | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const answer = await check();
    if (answer !== undefined) return answer;
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await sleep(Math.min(options.pollIntervalMs, left));
  }
}
