import pLimit from 'p-limit';

/**
 * Runs `task` over `items` with at most `concurrency` in flight. The first error stops what has
 * not started yet; it is thrown once the tasks in flight have ended, so that nothing is still
 * running when the caller goes on.
 */
export async function runPool<T>(items: Iterable<T>, concurrency: number, task: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(concurrency);
  let failure: { error: unknown } | undefined;
  const runs: Promise<void>[] = [];
  for (const item of items) {
    runs.push(
      limit(async () => {
        if (failure) return;
        try {
          await task(item);
        } catch (error) {
          failure ??= { error };
        }
      }),
    );
  }
  await Promise.all(runs);
  if (failure) throw failure.error;
}
