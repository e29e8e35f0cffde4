import type { RestoreCounts } from '../storage/restore-record.js';

export type ItemOutcome = 'created' | 'updated' | 'skipped' | 'failed';

interface MutableCounts {
  created: number;
  updated: number;
  skipped: number;
  failed: number;
}

const zero = (): MutableCounts => ({ created: 0, updated: 0, skipped: 0, failed: 0 });

/** Counts created/updated/skipped/failed per resource (restore.md, Result). */
export class RestoreCounter {
  private readonly byResource = new Map<string, MutableCounts>();

  add(resource: string, outcome: ItemOutcome): void {
    let counts = this.byResource.get(resource);
    if (!counts) this.byResource.set(resource, (counts = zero()));
    counts[outcome]++;
  }

  perResource(): Record<string, RestoreCounts> {
    return Object.fromEntries([...this.byResource.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([r, c]) => [r, { ...c }]));
  }

  totals(): RestoreCounts {
    const sum = zero();
    for (const c of this.byResource.values()) {
      sum.created += c.created;
      sum.updated += c.updated;
      sum.skipped += c.skipped;
      sum.failed += c.failed;
    }
    return sum;
  }
}
