/**
 * A bounded queue between one producer and one consumer: push waits while `capacity` items
 * are queued, which is how prefetching stays bounded. The producer ends it with close() or
 * fail(); the consumer can cancel() it, which makes pending and later pushes reject.
 */
export class PageChannel<T> implements AsyncIterable<T> {
  private readonly queue: T[] = [];
  private closed = false;
  private error: unknown;
  private cancelled: Error | undefined;
  private wakeConsumer: (() => void) | undefined;
  private wakeProducer: (() => void) | undefined;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.queue.length >= this.capacity && !this.cancelled) {
      await new Promise<void>((resolve) => (this.wakeProducer = resolve));
    }
    if (this.cancelled) throw this.cancelled;
    this.queue.push(item);
    this.wake('consumer');
  }

  close(): void {
    this.closed = true;
    this.wake('consumer');
  }

  fail(err: unknown): void {
    this.error = err ?? new Error('producer failed');
    this.closed = true;
    this.wake('consumer');
  }

  cancel(reason: Error): void {
    this.cancelled = reason;
    this.queue.length = 0;
    this.wake('producer');
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    for (;;) {
      const item = this.queue.shift();
      if (item !== undefined) {
        this.wake('producer');
        yield item;
        continue;
      }
      if (this.error !== undefined) throw this.error;
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wakeConsumer = resolve));
    }
  }

  private wake(who: 'consumer' | 'producer'): void {
    const wake = who === 'consumer' ? this.wakeConsumer : this.wakeProducer;
    if (who === 'consumer') this.wakeConsumer = undefined;
    else this.wakeProducer = undefined;
    wake?.();
  }
}
