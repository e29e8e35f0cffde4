import type { KubeObject } from '../kube/types.js';
import { compareNames } from './name-order.js';

/**
 * How far a paginated LIST got, so that a relist after `410 Gone` skips what was already
 * taken without keeping every key. It relies only on what every API server guarantees for a
 * LIST: the items of one namespace come together, sorted by name. (The order *between*
 * namespaces differs: etcd compares `ns/name` as bytes, so `a-b` comes before `a`; some
 * servers compare the namespace first. Remembering finished namespaces works with both.)
 * Memory: one entry per namespace, never per item.
 */
export class ListPosition {
  private readonly finished = new Set<string>();
  private current: string | undefined;
  private lastName: string | undefined;

  /** True when the item was taken before (on an earlier pass of the same LIST). */
  taken(object: KubeObject): boolean {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    if (this.finished.has(namespace)) return true;
    return namespace === this.current && this.lastName !== undefined && compareNames(name, this.lastName) <= 0;
  }

  /** Records an item as taken; items arrive in the server's order. */
  take(object: KubeObject): void {
    const namespace = object.metadata?.namespace ?? '';
    if (namespace !== this.current) {
      if (this.current !== undefined) this.finished.add(this.current);
      this.current = namespace;
    }
    this.lastName = object.metadata?.name ?? '';
  }
}
