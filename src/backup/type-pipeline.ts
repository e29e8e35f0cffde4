import pLimit from 'p-limit';
import { PageChannel } from './page-channel.js';

export interface TypePipelineOptions {
  /** Types listed at once. */
  concurrency: number;
  /** Pages a type may have ready ahead of the writer, besides the one being fetched. */
  prefetch: number;
}

/**
 * Lists types concurrently but hands their pages to `consume` strictly type after type, in
 * the given order: the archive order is fixed while fetching overlaps. Each type buffers at
 * most `prefetch` pages, so memory is bounded by concurrency × prefetch pages, never by the
 * size of a list. Types start in order, so the type being written always holds a slot (no
 * deadlock on full buffers).
 */
export async function runTypePipeline<T, B>(
  types: readonly T[],
  produce: (type: T) => AsyncIterable<B>,
  consume: (type: T, batch: B) => Promise<void>,
  options: TypePipelineOptions,
  onTypeStart: (type: T) => void = () => undefined,
): Promise<void> {
  const limit = pLimit(Math.max(1, options.concurrency));
  const channels = types.map(() => new PageChannel<B>(Math.max(1, options.prefetch)));
  let stopped: Error | undefined;
  const producers = types.map((type, i) =>
    limit(async () => {
      const channel = channels[i]!;
      if (stopped) return channel.close();
      try {
        for await (const batch of produce(type)) await channel.push(batch);
        channel.close();
      } catch (err) {
        channel.fail(err);
      }
    }),
  );
  try {
    for (let i = 0; i < types.length; i++) {
      onTypeStart(types[i]!);
      for await (const batch of channels[i]!) await consume(types[i]!, batch);
    }
  } catch (err) {
    stopped = err instanceof Error ? err : new Error(String(err));
    for (const channel of channels) channel.cancel(stopped);
    throw err;
  } finally {
    await Promise.allSettled(producers);
  }
}
