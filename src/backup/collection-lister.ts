import { isGone } from '../kube/api-error.js';
import type { KubeClient, QueryValue } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { ListPosition } from './list-position.js';
import { compareNames } from './name-order.js';

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
 * Lists a collection page by page (`limit` + `continue`). The next page is asked for as soon
 * as a page's continue token is known, before that page is handed on: the server prepares it
 * while this one is processed, so one page at most is ahead. When a continue token expires
 * (`410 Gone`), the collection is listed again from the start and the items already yielded
 * are skipped (see ListPosition), so no item is yielded twice. Other errors propagate: the
 * client has retried what was worth retrying.
 */
export async function* listPages(client: KubeClient, target: ListTarget, options: ListerOptions): AsyncGenerator<ListPage> {
  const position = new ListPosition();
  const fetchPage = (token: string | undefined): InFlightPage => {
    const query: Record<string, QueryValue> = { labelSelector: target.labelSelector };
    if (options.pageSize > 0) {
      query.limit = options.pageSize;
      query.continue = token;
    }
    const list = client.json<KubeList>({ method: 'GET', path: target.path, query, signal: options.signal });
    // A page asked for ahead may fail while the one before it is still being processed.
    list.catch(() => undefined);
    return { token, list };
  };
  let pass = 1;
  let relisting = false;
  let pending = fetchPage(undefined);
  for (;;) {
    const current = pending;
    let list: KubeList;
    try {
      list = await current.list;
    } catch (err) {
      if (!isGone(err) || current.token === undefined || pass >= maxPasses) throw err;
      pass++;
      relisting = true;
      options.onRelist?.(target, pass);
      pending = fetchPage(undefined);
      continue;
    }
    const next = options.pageSize > 0 ? list.metadata?.continue || undefined : undefined;
    if (next !== undefined) pending = fetchPage(next);
    let items = list.items ?? [];
    if (options.pageSize === 0) items = sortByNamespaceAndName(items);
    if (relisting) items = items.filter((item) => !position.taken(item));
    for (const item of items) position.take(item);
    const remaining = current.token === undefined && !relisting ? list.metadata?.remainingItemCount : undefined;
    yield remaining === undefined ? { items } : { items, remainingItemCount: remaining };
    if (next === undefined) return;
  }
}

interface InFlightPage {
  /** The continue token it was asked with; undefined for a first page. */
  token: string | undefined;
  list: Promise<KubeList>;
}

/** An unpaginated list is held whole anyway: sorting it makes the archive order independent of the server. */
function sortByNamespaceAndName(items: KubeObject[]): KubeObject[] {
  // In place: the array is the parsed response's own. No key tuples: the comparator runs n log n times.
  return items.sort((a, b) => compareNames(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || compareNames(a.metadata?.name ?? '', b.metadata?.name ?? ''));
}
