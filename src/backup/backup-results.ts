import type { ResultGroup, ResultsFile } from '../storage/results-file.js';

/** A group as it is collected: the lists grow as messages come. */
interface GrowingGroup {
  cluster: string[];
  namespaces: Record<string, string[]>;
}

/** Messages kept per group: a cluster failing every item must not grow memory without end. */
const maxPerGroup = 1000;

/** Collects the warnings and errors of a run; every message is counted, the first ones kept. */
export class ResultsCollector {
  private readonly groups = { warnings: emptyGroup(), errors: emptyGroup() };
  private readonly dropped = { warnings: new Map<string, number>(), errors: new Map<string, number>() };
  private counts = { warnings: 0, errors: 0 };

  warn(message: string, namespace?: string): void {
    this.add('warnings', message, namespace);
  }

  error(message: string, namespace?: string): void {
    this.add('errors', message, namespace);
  }

  get warningCount(): number {
    return this.counts.warnings;
  }

  get errorCount(): number {
    return this.counts.errors;
  }

  toJSON(): ResultsFile {
    return { warnings: this.render('warnings'), errors: this.render('errors') };
  }

  private add(kind: 'warnings' | 'errors', message: string, namespace: string | undefined): void {
    this.counts[kind]++;
    const group = this.groups[kind];
    const list = namespace === undefined ? group.cluster : (group.namespaces[namespace] ??= []);
    if (list.length < maxPerGroup) list.push(message);
    else this.dropped[kind].set(namespace ?? '', (this.dropped[kind].get(namespace ?? '') ?? 0) + 1);
  }

  private render(kind: 'warnings' | 'errors'): ResultGroup {
    const group = this.groups[kind];
    const out: GrowingGroup = { cluster: [...group.cluster], namespaces: {} };
    for (const [ns, list] of Object.entries(group.namespaces)) out.namespaces[ns] = [...list];
    for (const [ns, count] of this.dropped[kind]) {
      const note = `... and ${count} more ${kind}, in the log`;
      if (ns === '') out.cluster.push(note);
      else out.namespaces[ns]!.push(note);
    }
    return out;
  }
}

function emptyGroup(): GrowingGroup {
  return { cluster: [], namespaces: {} };
}
