import { isGone } from '../kube/api-error.js';
import { ResponseTooLargeError, type KubeClient, type QueryValue } from '../kube/client.js';
import { readListHead } from '../kube/list-head.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { ListPosition } from './list-position.js';
import { PageLimit } from './page-limit.js';
import { compareNames, compareNamespaces } from './name-order.js';

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

/** PartialObjectMetadataList where served (every API server since 1.15), else the objects. */
const metadataListAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** Passes over one collection after `410 Gone`, the first included. */
const maxPasses = 5;

export interface ListerOptions {
  /** Most items a request asks for (`limit`); 0: one request without `limit`. */
  pageSize: number;
  /** Later pages ask for fewer than pageSize items when that many would be larger than this. */
  pageBytes?: number;
  /** A page larger than this is dropped and asked for again with fewer items. */
  maxPageBytes?: number;
  /** Told when a continue token expired and the collection is listed again. */
  onRelist?: (target: ListTarget, pass: number) => void;
  /**
   * Only the items' metadata is wanted: the server sends PartialObjectMetadata (names, labels,
   * owners...) instead of whole objects; a CRD with its schemas can be a megabyte.
   */
  metadataOnly?: boolean;
  /** What is kept of each item, made as it is parsed (KubeRequest.mapItem); it must keep the metadata. */
  mapItem?: (item: KubeObject) => KubeObject;
  signal?: AbortSignal;
}

/**
 * A page asked for ahead is kept when it asked for at most this many times the items the next
 * page would now ask for (PageLimit): its body stays within a small multiple of pageBytes.
 */
const aheadLimitSlack = 2;

/**
 * Lists a collection page by page (`limit` + `continue`). The next page is asked for as soon
 * as a page's continue token is known: from the first bytes of its body (typed lists begin with
 * their metadata; see list-head.ts) once the page before it was handed on, else once it is
 * parsed. The server prepares the next page while this one still comes and is processed, and at
 * most one page is ahead of the one awaited. A token read early is checked against the parsed
 * page, and a page asked for ahead with another token (a retried request can answer with
 * another) or with too many items is dropped and asked for again. When a continue token
 * expires (`410 Gone`), the collection is listed again from the start and the items already
 * yielded are skipped (see ListPosition), so no item is yielded twice. Other errors propagate:
 * the client has retried what was worth retrying.
 *
 * Memory follows the size of a page, not of the collection: pages of large items (Secrets
 * near 1 MiB) ask for fewer items, so that a page stays near `pageBytes`; a page that is far
 * larger still (the first, before any size is known) is dropped unread past `maxPageBytes`
 * and asked for again with fewer items. A continue token does not depend on the limit.
 */
export async function* listPages(client: KubeClient, target: ListTarget, options: ListerOptions): AsyncGenerator<ListPage> {
  const position = new ListPosition();
  const paged = options.pageSize > 0;
  const limit = new PageLimit(options.pageSize, options.pageBytes, options.maxPageBytes);
  /** Whether a page's first bytes may start the next: not before one page said how large items are. */
  let lookAhead = false;
  /** What the first bytes of the page the loop waits for said; only that page may start the one after it. */
  let awaited: PageHead | undefined;
  const askAhead = (head: PageHead) => {
    if (head === awaited && lookAhead && head.ahead === undefined && typeof head.token === 'string') head.ahead = fetchPage(head.token, true);
  };
  // The items of a LIST answer are taken for objects, as the answer is taken for a KubeList.
  const { mapItem: mapObject } = options;
  const mapItem = mapObject && ((item: unknown) => mapObject(item as KubeObject));
  const fetchPage = (token: string | undefined, ahead = false): InFlightPage => {
    const query: Record<string, QueryValue> = { labelSelector: target.labelSelector };
    if (paged) {
      query.limit = limit.current;
      query.continue = token;
    }
    const controller = ahead ? new AbortController() : undefined;
    const signal = controller && options.signal ? AbortSignal.any([options.signal, controller.signal]) : (controller?.signal ?? options.signal);
    let bytes = 0;
    const head: PageHead = { token: undefined, ahead: undefined };
    const onBodyHead = (first: Buffer) => {
      const read = readListHead(first);
      if (read === 'more') return false;
      // A retried request shows a head again: the first reading stands, and is checked later.
      if (read !== 'unknown' && head.token === undefined) head.token = read.continue;
      askAhead(head);
      return true;
    };
    const list = client
      .json<KubeList>({ method: 'GET', path: target.path, query, signal, list: true, ...(mapItem ? { mapItem } : {}), ...(options.metadataOnly ? { accept: metadataListAccept } : {}), ...(paged ? { maxBodyBytes: limit.maxPageBytes, onBodyHead } : {}), onBodyBytes: (b) => (bytes = b) })
      .then((value) => ({ value, bytes }));
    // A page asked for ahead may fail while the one before it is still being processed.
    list.catch(() => undefined);
    return { token, limit: limit.current, list, controller, head };
  };
  let pass = 1;
  let relisting = false;
  let pending = fetchPage(undefined);
  let finished = false;
  try {
    for (;;) {
      const current = pending;
      awaited = current.head;
      askAhead(current.head);
      let list: KubeList;
      try {
        const page = await current.list;
        list = page.value;
        if (paged) limit.afterPage(list.items?.length ?? 0, page.bytes);
      } catch (err) {
        current.head.ahead?.controller?.abort();
        if (err instanceof ResponseTooLargeError && limit.afterTooLarge(current.limit)) {
          pending = fetchPage(current.token);
          continue;
        }
        if (!isGone(err) || current.token === undefined || pass >= maxPasses) throw err;
        pass++;
        relisting = true;
        options.onRelist?.(target, pass);
        pending = fetchPage(undefined);
        continue;
      } finally {
        awaited = undefined;
      }
      const next = paged ? list.metadata?.continue || undefined : undefined;
      const ahead = current.head.ahead;
      if (ahead && next !== undefined && ahead.token === next && ahead.limit <= limit.current * aheadLimitSlack) {
        pending = ahead;
      } else {
        ahead?.controller?.abort();
        if (next !== undefined) pending = fetchPage(next);
      }
      lookAhead = paged;
      let items = list.items ?? [];
      if (!paged) items = sortByNamespaceAndName(items);
      if (relisting) items = items.filter((item) => !position.taken(item));
      for (const item of items) position.take(item);
      const remaining = current.token === undefined && !relisting ? list.metadata?.remainingItemCount : undefined;
      yield remaining === undefined ? { items } : { items, remainingItemCount: remaining };
      if (next === undefined) {
        finished = true;
        return;
      }
    }
  } finally {
    // A consumer that stopped early, or a failure: nothing asked for ahead is still wanted.
    if (!finished) {
      pending.controller?.abort();
      pending.head.ahead?.controller?.abort();
    }
  }
}

interface InFlightPage {
  /** The continue token it was asked with; undefined for a first page. */
  token: string | undefined;
  /** The `limit` it was asked with. */
  limit: number;
  /** The page, with the size of its body in bytes. */
  list: Promise<{ value: KubeList; bytes: number }>;
  /** Aborts a page asked for ahead of need. */
  controller: AbortController | undefined;
  head: PageHead;
}

/** What the first bytes of a page's body said of the next page, and the next page if asked for. */
interface PageHead {
  /** Its continue token, null for none, undefined for not known. */
  token: string | null | undefined;
  ahead: InFlightPage | undefined;
}

/** An unpaginated list is held whole anyway: sorting it in a paginated LIST's order makes the archive independent of the page size. */
function sortByNamespaceAndName(items: KubeObject[]): KubeObject[] {
  // In place: the array is the parsed response's own. No key tuples: the comparator runs n log n times.
  return items.sort((a, b) => compareNamespaces(a.metadata?.namespace ?? '', b.metadata?.namespace ?? '') || compareNames(a.metadata?.name ?? '', b.metadata?.name ?? ''));
}
