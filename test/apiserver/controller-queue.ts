/**
 * Deferred work for the simulated controllers: each key runs at most once per scheduling,
 * after a delay, never inside the write that triggered it.
 */
export class ControllerQueue {
  private readonly pending = new Map<string, NodeJS.Timeout | true>();
  private closed = false;

  schedule(key: string, delayMs: number, work: () => void): void {
    if (this.closed || this.pending.has(key)) return;
    const run = (): void => {
      this.pending.delete(key);
      if (this.closed) return;
      try {
        work();
      } catch (err) {
        console.error(`controller ${key}:`, err);
      }
    };
    if (delayMs <= 0) {
      this.pending.set(key, true);
      queueMicrotask(run);
    } else {
      this.pending.set(key, setTimeout(run, delayMs));
    }
  }

  close(): void {
    this.closed = true;
    for (const handle of this.pending.values()) if (handle !== true) clearTimeout(handle);
    this.pending.clear();
  }
}
