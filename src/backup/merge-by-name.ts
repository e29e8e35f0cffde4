import type { KubeObject } from '../kube/types.js';
import { compareNames } from './name-order.js';

/**
 * Merges lists of one namespace (or of cluster-scoped objects), each sorted by name as every
 * API server returns them, into one list sorted by name in which an object found by several
 * lists (`--or-selector`) appears once. Reads each input one page ahead at most.
 */
export async function* mergeByName(inputs: AsyncIterable<KubeObject[]>[], batchSize: number): AsyncGenerator<KubeObject[]> {
  const cursors = inputs.map((input) => new Cursor(input[Symbol.asyncIterator]()));
  await Promise.all(cursors.map((c) => c.fill()));
  let batch: KubeObject[] = [];
  for (;;) {
    let smallest: string | undefined;
    for (const cursor of cursors) {
      const name = cursor.headName();
      if (name !== undefined && (smallest === undefined || compareNames(name, smallest) < 0)) smallest = name;
    }
    if (smallest === undefined) break;
    let taken: KubeObject | undefined;
    for (const cursor of cursors) {
      if (cursor.headName() === smallest) {
        taken ??= cursor.head();
        await cursor.advance();
      }
    }
    batch.push(taken!);
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

class Cursor {
  private page: KubeObject[] = [];
  private index = 0;
  private done = false;

  constructor(private readonly pages: AsyncIterator<KubeObject[]>) {}

  async fill(): Promise<void> {
    while (!this.done && this.index >= this.page.length) {
      const next = await this.pages.next();
      if (next.done) this.done = true;
      else {
        this.page = next.value;
        this.index = 0;
      }
    }
  }

  headName(): string | undefined {
    return this.index < this.page.length ? (this.page[this.index]!.metadata?.name ?? '') : undefined;
  }

  head(): KubeObject {
    return this.page[this.index]!;
  }

  async advance(): Promise<void> {
    this.index++;
    await this.fill();
  }
}
