import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { ResourceListWriter } from '../backup/resource-list-writer.js';
import type { ItemOutcome } from './restore-results.js';

/**
 * One item of a restore's resource list, as Velero (1.12 and later) writes it: where the item
 * went (after --namespace-mappings) and what became of it, `ns/name(created)`, or
 * `name(created)` when it is cluster-scoped; the outcome is created, updated, skipped or failed.
 */
export function restoredItemEntry(namespace: string | undefined, name: string, outcome: ItemOutcome): string {
  return `${namespace === undefined ? name : `${namespace}/${name}`}(${outcome})`;
}

/**
 * A restore's resource list artifact (storage.md: the same pattern as a backup's), Velero's
 * restore resource list: `{"apps/v1/Deployment": ["ns/name(created)", ...], "v1/Namespace":
 * ["ns(skipped)"]}`, written through the backup's ResourceListWriter. As Velero does, the
 * entries of a type are sorted; types come in the order the restore took them (Velero's are
 * sorted too, but readers look them up by key).
 *
 * A type must be written whole and once, while items finish in any order: entries are held
 * until no later part of the restore can add to their type, then written. A restore goes type
 * by type, so this holds about one type's entries at a time, as the restore does itself.
 */
export class RestoredResourceList {
  private readonly writer: ResourceListWriter;
  private readonly pending = new Map<string, string[]>();

  constructor(private readonly out: Writable) {
    this.writer = new ResourceListWriter(out);
  }

  /** `type` is `apiVersion/Kind` (resourceListType), `entry` a restoredItemEntry. */
  add(type: string, entry: string): void {
    let entries = this.pending.get(type);
    if (!entries) this.pending.set(type, (entries = []));
    entries.push(entry);
  }

  /** Writes the held types, but those that `stillOpen` says may get more entries. */
  async flush(stillOpen: (type: string) => boolean = () => false): Promise<void> {
    for (const [type, entries] of this.pending) {
      if (stillOpen(type)) continue;
      this.pending.delete(type);
      // Velero sorts with Go's sort.Strings, in byte order: for the ASCII names Kubernetes allows, JavaScript's order.
      entries.sort();
      if (!this.writer.add(type, entries)) await once(this.out, 'drain');
    }
  }

  /** Writes what is held and ends the list. */
  async end(): Promise<void> {
    await this.flush();
    this.writer.end();
  }
}
