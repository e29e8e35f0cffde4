import type { Writable } from 'node:stream';

/** A type's key in a resource list, as Velero writes it: `GROUP/VERSION/Kind`, `v1/Kind` for the core group. */
export function resourceListType(groupVersion: string, kind: string): string {
  return `${groupVersion}/${kind}`;
}

/**
 * Writes the resource list artifact (`{"apps/v1/Deployment": ["ns/name", ...]}`, storage.md)
 * as a stream while the archive is written, instead of collecting names in memory: items
 * arrive grouped by type (the archive is written type by type), so each key is opened once,
 * its names follow, and it is closed when the next type starts.
 */
export class ResourceListWriter {
  private current: string | undefined;
  private firstInKey = true;
  private readonly done = new Set<string>();

  constructor(private readonly out: Writable) {
    out.write('{');
  }

  /** `typeKey` is `apiVersion/Kind`, items are `ns/name` or `name`. False: wait for 'drain'. */
  add(typeKey: string, items: readonly string[]): boolean {
    if (typeKey !== this.current) {
      if (this.done.has(typeKey)) throw new Error(`resource list: ${typeKey} was already written`);
      if (this.current !== undefined) {
        this.done.add(this.current);
        this.out.write('],');
      }
      this.current = typeKey;
      this.firstInKey = true;
      this.out.write(`${JSON.stringify(typeKey)}:[`);
    }
    if (items.length === 0) return true;
    const text = items.map((item) => JSON.stringify(item)).join(',');
    const ok = this.out.write(this.firstInKey ? text : `,${text}`);
    this.firstInKey = false;
    return ok;
  }

  end(): void {
    this.out.end(this.current === undefined ? '}' : ']}');
  }
}
