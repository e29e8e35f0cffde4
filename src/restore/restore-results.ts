import type { RestoreCounts } from '../storage/restore-record.js';

/** Warnings or errors grouped as backups group them: `{cluster: [...], namespaces: {ns: [...]}}`. */
export interface ResultGroups {
  cluster: string[];
  namespaces: Record<string, string[]>;
}

export class ResultCollector {
  private readonly groups: ResultGroups = { cluster: [], namespaces: {} };
  private total = 0;

  add(namespace: string | undefined, message: string): void {
    this.total++;
    if (namespace === undefined) this.groups.cluster.push(message);
    else (this.groups.namespaces[namespace] ??= []).push(message);
  }

  get count(): number {
    return this.total;
  }

  toJSON(): ResultGroups {
    return this.groups;
  }
}

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
