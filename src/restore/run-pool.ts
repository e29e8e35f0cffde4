/**
 * Runs `task` over `items` with at most `concurrency` in flight: that many workers take the
 * next item when they are done with one. Unlike a queue of pending calls (p-limit), nothing is
 * held per item waiting its turn, so memory does not grow with the number of items.
 * The first error stops what has not started yet; it is thrown once the tasks in flight have
 * ended, so that nothing is still running when the caller goes on.
 */
export async function runPool<T>(items: Iterable<T>, concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    for (;;) {
      if (failure) return;
      const next = iterator.next();
      if (next.done) return;
      try {
        await task(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  if (failure) throw failure.error;
}
