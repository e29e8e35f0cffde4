import { isGone } from '../kube/api-error.js';
import type { KubeClient, QueryValue } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { ListPosition } from './list-position.js';

export interface ListTarget {
  /** The collection's REST path, e.g. `/api/v1/namespaces/ns1/configmaps`. */
  path: string;
  labelSelector?: string;
}

export interface ListPage {
  items: KubeObject[];
  /** Items still to come after this page, when the server says (first page of a pass only). */
  remainingItemCount?: number;
}

/** Passes over one collection after `410 Gone`, the first included. */
const maxPasses = 5;

export interface ListerOptions {
  /** `limit` of each request; 0: one request without `limit`. */
  pageSize: number;
  /** Told when a continue token expired and the collection is listed again. */
  onRelist?: (target: ListTarget, pass: number) => void;
  signal?: AbortSignal;
}

/**
 * Lists a collection page by page (`limit` + `continue`). When a continue token expires
 * (`410 Gone`), the collection is listed again from the start and the items already yielded
 * are skipped (see ListPosition), so no item is yielded twice. Other errors propagate: the
 * client has retried what was worth retrying.
 */
export async function* listPages(client: KubeClient, target: ListTarget, options: ListerOptions): AsyncGenerator<ListPage> {
  const position = new ListPosition();
  let pass = 1;
  let token: string | undefined;
  let relisting = false;
  for (;;) {
    const query: Record<string, QueryValue> = { labelSelector: target.labelSelector };
    if (options.pageSize > 0) {
      query.limit = options.pageSize;
      query.continue = token;
    }
    let list: KubeList;
    try {
      list = await client.json<KubeList>({ method: 'GET', path: target.path, query, signal: options.signal });
    } catch (err) {
      if (!isGone(err) || token === undefined || pass >= maxPasses) throw err;
      pass++;
      token = undefined;
      relisting = true;
      options.onRelist?.(target, pass);
      continue;
    }
    let items = list.items ?? [];
    if (options.pageSize === 0) items = sortByNamespaceAndName(items);
    if (relisting) items = items.filter((item) => !position.taken(item));
    for (const item of items) position.take(item);
    const remaining = token === undefined && !relisting ? list.metadata?.remainingItemCount : undefined;
    yield remaining === undefined ? { items } : { items, remainingItemCount: remaining };
    token = options.pageSize > 0 ? list.metadata?.continue || undefined : undefined;
    if (token === undefined) return;
  }
}

/** An unpaginated list is held whole anyway: sorting it makes the archive order independent of the server. */
function sortByNamespaceAndName(items: KubeObject[]): KubeObject[] {
  // In place: the array is the parsed response's own. No key tuples: the comparator runs n log n times.
  return items.sort((a, b) => compare(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || compare(a.metadata?.name ?? '', b.metadata?.name ?? ''));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
