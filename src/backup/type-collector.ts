import { errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { resourcePath } from '../kube/discovery.js';
import { listByName } from '../kube/list-by-name.js';
import { isUnreachable } from '../kube/unreachable.js';
import { isBeingDeleted, type KubeObject } from '../kube/types.js';
import type { Logger } from '../log/logger.js';
import type { ItemLocation } from '../archive/archive-paths.js';
import { itemLocationProblem } from '../archive/item-names.js';
import type { PlannedType } from './backup-plan.js';
import type { ResultsCollector } from './backup-results.js';
import { listPages, type ListPage, type ListTarget } from './collection-lister.js';
import { ListedObject } from './listed-object.js';
import { exclusionLabelOf, serializeItem } from './item-rules.js';
import { mergeByName } from './merge-by-name.js';
import { compareNames } from './name-order.js';
import type { OrderedItem } from './ordered-resources.js';

/** One object ready for the archive. */
export interface CollectedItem {
  location: ItemLocation;
  /** `ns/name` or `name`, as the resource list names items. */
  listName: string;
  body: Buffer;
}

export interface CollectorContext {
  client: KubeClient;
  pageSize: number;
  /** Label selectors, each listed separately (`--or-selector`); `[undefined]` for none, `[sel]` for `-l`. */
  selectors: readonly (string | undefined)[];
  logger: Logger;
  results: ResultsCollector;
  /** Told how many items a list holds as soon as it is known (progress totals). */
  onDiscovered?: (count: number) => void;
  signal?: AbortSignal;
  /** Probing (is there anything?): no logs, no results, no progress. */
  quiet?: boolean;
}

/**
 * The items of one resource type in archive order: `--ordered-resources` items first (read
 * one by one), then every listed item in the server's order, page by page. Each yielded batch
 * is at most one page. Per-list failures become errors in the results, and the type goes on
 * with its next list (namespace).
 */
export async function* collectType(type: PlannedType, ctx: CollectorContext): AsyncGenerator<CollectedItem[]> {
  // Types picked by name (the Namespace objects of included namespaces, the CRDs of custom
  // resources taken) are taken whatever the label selectors say (backup.md, 3 and 8).
  if (type.names) ctx = { ...ctx, selectors: [undefined] };
  const takenFirst = new Set<string>();
  if (type.ordered) {
    const batch: CollectedItem[] = [];
    for (const item of type.ordered.items) {
      const object = await readOrderedItem(type, item, ctx);
      if (!object) continue;
      const collected = accept(type, object, ctx);
      if (collected) {
        takenFirst.add(collected.listName);
        batch.push(collected);
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (type.names && type.names.size <= readByNameUpTo) {
    yield* readByName(type, type.names, takenFirst, ctx);
    return;
  }
  for (const target of listTargets(type)) {
    try {
      for await (const objects of listTarget(type, target, ctx)) {
        const batch: CollectedItem[] = [];
        for (const object of objects) {
          // A listed object's scope was decided as its page was parsed (listedObject).
          if (!(object instanceof ListedObject ? object.inScope : inScope(type, object))) continue;
          const collected = accept(type, object, ctx);
          if (collected && !takenFirst.has(collected.listName)) batch.push(collected);
        }
        if (batch.length > 0) yield batch;
      }
    } catch (err) {
      if (stopsTheBackup(err, ctx)) throw err;
      reportError(ctx, `cannot list ${type.key}${target.namespace ? ` in namespace ${target.namespace}` : ''}: ${errorMessage(err)}`, { resource: type.key, namespace: target.namespace });
    }
  }
}

/**
 * Types picked by name (the CRDs of the custom resources taken, the Namespace objects of the
 * namespaces included) are read object by object when the names are this few or fewer, rather
 * than by listing every object of the type to keep a few: a cluster with providers installed
 * has hundreds of CRDs, some a megabyte of schemas each. Each is a LIST of one name (listByName),
 * so that the scheduled runner needs no `get` outside its namespace.
 */
const readByNameUpTo = 64;

/** Reads in flight while reading by name. */
const readByNameConcurrency = 8;

/** Objects read by name, in the order a LIST gives them (names as bytes); those gone are skipped. */
async function* readByName(type: PlannedType, names: ReadonlySet<string>, takenFirst: ReadonlySet<string>, ctx: CollectorContext): AsyncGenerator<CollectedItem[]> {
  for await (const found of readObjectsByName(type, [...names].filter((name) => !takenFirst.has(name)), ctx)) {
    const batch = found.map((object) => accept(type, object, ctx)).filter((item): item is CollectedItem => item !== undefined);
    if (batch.length > 0) yield batch;
  }
}

/** The objects of these names that exist, a few LISTs by name at a time, in name order (as bytes). */
async function* readObjectsByName(type: PlannedType, names: readonly string[], ctx: CollectorContext): AsyncGenerator<KubeObject[]> {
  const wanted = [...names].sort(compareNames);
  const path = resourcePath(type.resource);
  for (let i = 0; i < wanted.length; i += readByNameConcurrency) {
    const chunk = wanted.slice(i, i + readByNameConcurrency);
    const objects = await Promise.all(
      chunk.map(async (name) => {
        try {
          return await listByName(ctx.client, path, name, { signal: ctx.signal });
        } catch (err) {
          if (stopsTheBackup(err, ctx)) throw err;
          reportError(ctx, `cannot read ${type.key} ${name}: ${errorMessage(err)}`, { resource: type.key, name });
          return undefined;
        }
      }),
    );
    const found = objects.filter((object): object is KubeObject => object !== undefined);
    if (!ctx.quiet) ctx.onDiscovered?.(found.length);
    yield found;
  }
}

interface TypeTarget extends ListTarget {
  namespace?: string;
}

function listTargets(type: PlannedType): TypeTarget[] {
  const { resource, scope } = type;
  if (scope.kind === 'each-namespace') return scope.namespaces.map((namespace) => ({ path: resourcePath(resource, namespace), namespace }));
  return [{ path: resourcePath(resource) }];
}

/**
 * Pages of one list; with several selectors, their lists merged so each item comes once. A
 * type's `alsoNames` objects are merged in the same way when selectors leave them out. Merged
 * items are counted toward the progress total once merged: an item several lists hold counts once.
 */
async function* listTarget(type: PlannedType, target: TypeTarget, ctx: CollectorContext): AsyncGenerator<KubeObject[]> {
  const named = type.alsoNames !== undefined && ctx.selectors.some((selector) => selector !== undefined);
  const selected = (selector: string | undefined, counted: CollectorContext) =>
    pagesOf(listPages(ctx.client, selector ? { ...target, labelSelector: selector } : target, listerOptions(type, ctx)), counted);
  if (ctx.selectors.length === 1 && !named) {
    yield* selected(ctx.selectors[0], ctx);
    return;
  }
  const uncounted: CollectorContext = { ...ctx, onDiscovered: undefined };
  const lists = ctx.selectors.map((selector) => selected(selector, uncounted));
  if (named) lists.push(namedObjects(type, type.alsoNames!, target, uncounted));
  for await (const batch of mergeByName(lists, ctx.pageSize > 0 ? ctx.pageSize : 500)) {
    if (!ctx.quiet) ctx.onDiscovered?.(batch.length);
    yield batch;
  }
}

/** The objects of a list target that have these names, in name order: read one by one when few, else listed whole and kept by name. */
async function* namedObjects(type: PlannedType, names: ReadonlySet<string>, target: TypeTarget, ctx: CollectorContext): AsyncGenerator<KubeObject[]> {
  if (names.size <= readByNameUpTo && !type.resource.namespaced) {
    yield* readObjectsByName(type, [...names], ctx);
    return;
  }
  for await (const page of listPages(ctx.client, target, listerOptions(type, ctx))) {
    yield page.items.filter((object) => names.has(object.metadata?.name ?? ''));
  }
}

async function* pagesOf(pages: AsyncGenerator<ListPage>, ctx: CollectorContext): AsyncGenerator<KubeObject[]> {
  // A probe's items are listed again for real: counted then.
  const discovered = ctx.quiet ? undefined : ctx.onDiscovered;
  let estimated = false;
  for await (const page of pages) {
    if (!estimated && page.remainingItemCount !== undefined) {
      estimated = true;
      discovered?.(page.items.length + page.remainingItemCount);
    } else if (!estimated) {
      discovered?.(page.items.length);
    }
    yield page.items;
  }
}

function listerOptions(type: PlannedType, ctx: CollectorContext) {
  return {
    pageSize: ctx.pageSize,
    signal: ctx.signal,
    mapItem: (object: KubeObject) => listedObject(type, object),
    onRelist: (target: ListTarget, pass: number) => {
      if (!ctx.quiet) ctx.logger.log('warn', 'continue token expired; listing again from the start, skipping items already taken', { path: target.path, pass });
    },
  };
}

/**
 * What is kept of a listed object, made as its page is parsed: its stored form, made there and
 * then for an object in scope, and its metadata. Kept whole until the page was written, a page's
 * objects outlived collections of the young generation, which copied them: a 10k-item backup
 * takes ~3% less CPU without. An object that cannot be serialised is kept as it is,
 * for accept() to report why.
 */
function listedObject(type: PlannedType, object: KubeObject): KubeObject {
  const metadata = object.metadata ?? {};
  if (!inScope(type, object)) return new ListedObject(metadata, undefined);
  try {
    return new ListedObject(metadata, serializeItem(object, type.resource));
  } catch {
    return object;
  }
}

/** Whether a listed object belongs to this type's selection (namespaces left out, name filters). */
function inScope(type: PlannedType, object: KubeObject): boolean {
  if (type.scope.kind === 'all-namespaces' && type.scope.only && !type.scope.only.has(object.metadata?.namespace ?? '')) return false;
  if (type.names && !type.names.has(object.metadata?.name ?? '')) return false;
  return true;
}

/** The item rules of backup.md (6, 7, 9): exclusion labels, items being deleted, the stored form. */
function accept(type: PlannedType, object: KubeObject, ctx: CollectorContext): CollectedItem | undefined {
  const namespace = type.resource.namespaced ? (object.metadata?.namespace ?? '') : undefined;
  const name = object.metadata?.name ?? '';
  const label = exclusionLabelOf(object);
  if (label) {
    if (!ctx.quiet) ctx.logger.log('info', `excluding item: it has label ${label}=true`, { resource: type.key, namespace, name });
    return undefined;
  }
  if (isBeingDeleted(object)) {
    if (!ctx.quiet) ctx.logger.log('debug', 'skipping item: it is being deleted', { resource: type.key, namespace, name });
    return undefined;
  }
  // The restore refuses an archive with such an item: an error of this backup instead.
  const nameProblem = itemLocationProblem({ resource: type.key, namespace, name });
  if (nameProblem) {
    reportError(ctx, `cannot back up ${type.key} ${namespace ? `${namespace}/` : ''}${name}: ${nameProblem}`, { resource: type.key, namespace, name });
    return undefined;
  }
  try {
    const body = object instanceof ListedObject ? object.storedForm() : serializeItem(object, type.resource);
    return { location: { resource: type.key, namespace, name }, listName: namespace === undefined ? name : `${namespace}/${name}`, body };
  } catch (err) {
    reportError(ctx, `cannot serialise ${type.key} ${namespace ? `${namespace}/` : ''}${name}: ${errorMessage(err)}`, { resource: type.key, namespace, name });
    return undefined;
  }
}

/**
 * Whether a failure ends the backup rather than being one of its errors: the run was
 * interrupted, or the API server cannot be reached at all, when every later list would fail
 * the same way, each after its retries (a backup of 100 namespaces would take that long a
 * hundred times, to end PartiallyFailed with nothing in it).
 */
export function stopsTheBackup(err: unknown, ctx: Pick<CollectorContext, 'signal'>): boolean {
  return ctx.signal?.aborted === true || isUnreachable(err);
}

/** A failure of one list or item: an error of the backup, grouped by its namespace, and a log line (not for probes). */
function reportError(ctx: CollectorContext, message: string, fields: { resource: string; namespace?: string | undefined; name?: string }): void {
  if (ctx.quiet) return;
  ctx.results.error(message, fields.namespace);
  ctx.logger.log('error', message, fields);
}

/**
 * An `--ordered-resources` item, read before the lists so it can be written first. It must
 * pass the same filters as listed items: its namespace must be included, and with selectors
 * the API server must list it under one of them (a LIST by name keeps selector semantics
 * exactly the server's). Every read is a LIST by name (listByName): the item may be of any type,
 * and the scheduled runner may list every resource but get none outside its namespace.
 */
async function readOrderedItem(type: PlannedType, item: OrderedItem, ctx: CollectorContext): Promise<KubeObject | undefined> {
  const shown = item.namespace ? `${item.namespace}/${item.name}` : item.name;
  const as = type.ordered!.as;
  const warn = (message: string) => {
    if (ctx.quiet) return;
    ctx.results.warn(message, item.namespace);
    ctx.logger.log('warn', message, { resource: type.key, namespace: item.namespace, name: item.name });
  };
  const scope = type.scope;
  if (item.namespace !== undefined) {
    const included = scope.kind === 'each-namespace' ? scope.namespaces.includes(item.namespace) : scope.kind === 'all-namespaces' && (!scope.only || scope.only.has(item.namespace));
    if (!included) {
      warn(`ordered resource ${as} ${shown} is not backed up: namespace ${item.namespace} is not included`);
      return undefined;
    }
  }
  if (type.names && !type.names.has(item.name)) return undefined;
  const collection = resourcePath(type.resource, item.namespace);
  try {
    // Whether the selectors decide about the item (a type picked by name takes its names whatever they say).
    const bySelectors = ctx.selectors.some((s) => s !== undefined) && !type.alsoNames?.has(item.name);
    // With selectors, the item is asked for under each; only when none selects it does a LIST
    // without one tell a missing item from one the selectors leave out.
    for (const selector of bySelectors ? ctx.selectors : [undefined]) {
      const found = await listByName(ctx.client, collection, item.name, { ...(selector !== undefined ? { labelSelector: selector } : {}), signal: ctx.signal });
      if (found) return found;
    }
    if (!bySelectors || !(await listByName(ctx.client, collection, item.name, { signal: ctx.signal }))) {
      warn(`ordered resource ${as} ${shown} not found`);
      return undefined;
    }
    if (!ctx.quiet) ctx.logger.log('info', `ordered resource ${as} ${shown} does not match the selector; not backed up`, { resource: type.key });
    return undefined;
  } catch (err) {
    if (stopsTheBackup(err, ctx)) throw err;
    reportError(ctx, `cannot read ordered resource ${as} ${shown}: ${errorMessage(err)}`, { resource: type.key, namespace: item.namespace });
    return undefined;
  }
}
