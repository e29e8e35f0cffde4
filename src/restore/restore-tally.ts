import type { Logger } from '../log/logger.js';
import { noProgress, type ProgressReporter } from '../progress/progress-reporter.js';
import type { PlanEntry } from './restore-plan.js';
import { ResultsCollector } from '../backup/backup-results.js';
import { RestoreCounter, type ItemOutcome } from './restore-results.js';

/**
 * Where a restore reports what happened to each item: counts, warnings and errors grouped by
 * namespace, the log, the plan (dry runs) and progress. Engines report, commands render.
 */
export class RestoreTally {
  readonly counter = new RestoreCounter();
  /** As a backup keeps them: every message counted, the first ones of each group kept. */
  readonly results = new ResultsCollector();
  constructor(
    private readonly logger: Logger,
    total: number,
    private readonly progress: ProgressReporter = noProgress,
    private readonly onPlan?: (entry: PlanEntry) => void,
  ) {
    progress.expect(total);
  }

  /** One item dealt with: counted, logged, planned, and progress moves. */
  item(entry: PlanEntry, outcome: ItemOutcome, error?: string): ItemOutcome {
    this.counter.add(entry.resource, outcome);
    this.onPlan?.(entry);
    const fields = { resource: entry.resource, namespace: entry.namespace, name: entry.name, ...(entry.detail ? { detail: entry.detail } : {}) };
    if (outcome === 'failed') {
      const message = `${entry.resource} ${entry.namespace === undefined ? '' : `${entry.namespace}/`}${entry.name}: ${error ?? 'failed'}`;
      this.results.error(message, entry.namespace);
      this.logger.log('error', 'item not restored', { ...fields, error });
    } else {
      this.logger.log('debug', entry.action === 'create' ? 'item created' : entry.action === 'update' ? 'item updated' : 'item skipped', { ...fields, action: entry.action });
    }
    this.progress.advance(1);
    return outcome;
  }

  warn(namespace: string | undefined, message: string): void {
    this.results.warn(message, namespace);
    this.logger.log('warn', message, namespace === undefined ? {} : { namespace });
  }

  /** Something that is not an item (a namespace made for items, an owner reference added). */
  extra(resource: string, outcome: ItemOutcome): void {
    this.counter.add(resource, outcome);
  }
}
