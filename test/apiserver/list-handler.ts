import { badRequest } from './api-error.js';
import type { Cluster } from './cluster.js';
import type { OrderedObjects } from './collection-snapshot.js';
import type { ContinuePosition } from './continue-tokens.js';
import { parseFieldSelector, type FieldMatcher } from './field-selector.js';
import type { JsonObject } from './json.js';
import { parseLabelSelector, type LabelMatcher } from './label-selector.js';
import type { OutputForm } from './media-negotiation.js';
import { renderListItem, toKube } from './object-rendering.js';
import { groupVersion } from './resource-def.js';
import type { ResolvedResource } from './resource-registry.js';
import type { StoredObject } from './stored-object.js';
import { renderTable, type IncludeObject } from './table.js';

export interface Selection {
  labels?: LabelMatcher;
  fields?: FieldMatcher;
}

export function parseSelection(r: ResolvedResource, query: URLSearchParams): Selection {
  return {
    labels: parseLabelSelector(query.get('labelSelector') ?? ''),
    fields: parseFieldSelector(query.get('fieldSelector') ?? '', r.def),
  };
}

export function selects(selection: Selection, object: StoredObject): boolean {
  return (!selection.labels || selection.labels(object.labels)) && (!selection.fields || selection.fields(object));
}

export function includeObjectParam(query: URLSearchParams): IncludeObject {
  const value = query.get('includeObject');
  return value === 'None' || value === 'Object' ? value : 'Metadata';
}

/**
 * A LIST page: items in etcd's key order (`namespace/name` as bytes) from a snapshot of the collection (the list's
 * first page takes it; the rest read it, as a real server reads etcd at the list's revision), serialised by
 * concatenating the stored JSON, with limit/continue and remainingItemCount as the real
 * server sets them.
 */
export function listResponse(cluster: Cluster, r: ResolvedResource, namespace: string, query: URLSearchParams, form: OutputForm): string {
  const selection = parseSelection(r, query);
  const continueToken = query.get('continue') ?? '';
  const rvParam = query.get('resourceVersion') ?? '';
  const limitParam = Number(query.get('limit') ?? '0');
  // A v1.32 server answers resourceVersion=0 from its watch cache, which ignores limit.
  const limit = Number.isInteger(limitParam) && limitParam > 0 && !(rvParam === '0' && !continueToken) ? limitParam : 0;
  if (continueToken && rvParam !== '' && rvParam !== '0') {
    throw badRequest('specifying resource version is not allowed when using continue');
  }

  const storage = r.def.storage;
  const collection = cluster.store.collection(storage);
  let listRv = cluster.listRv();
  let position: ContinuePosition | undefined;
  // A first page reads the collection as it is; the pages after it read the snapshot its
  // continue token was issued with, as a real server reads etcd at the list's revision. A token
  // at resourceVersion -1 (from a 410) reads the collection as it is, at the latest revision.
  let source: OrderedObjects = collection;
  if (continueToken) {
    position = cluster.tokens.decode(continueToken);
    if (position.rv > 0) {
      listRv = position.rv;
      source = cluster.tokens.snapshotOf(listRv, storage) ?? collection;
    }
  }
  const keys = source.keys;
  const range = r.def.namespaced && namespace !== '' ? source.namespaceRange(namespace) : [0, keys.length];
  const end = range[1] as number;
  let start = range[0] as number;
  if (position) start = Math.max(start, source.indexAfter(position.afterKey));

  const selected: StoredObject[] = [];
  let i = start;
  for (; i < end; i++) {
    if (limit > 0 && selected.length >= limit) break;
    const object = source.objectAt(i);
    if (selects(selection, object)) selected.push(object);
  }
  const meta: JsonObject = { resourceVersion: String(listRv) };
  if (i < end && selected.length > 0) {
    meta.continue = cluster.tokens.encode(listRv, (selected[selected.length - 1] as StoredObject).key, storage, source === collection ? collection.snapshot() : source);
    if (!selection.labels && !selection.fields) meta.remainingItemCount = end - i;
  }

  if (form === 'table') {
    return renderTable(r, selected.map((o) => toKube(r, o)), meta, includeObjectParam(query));
  }
  if (form === 'metadata') {
    const items = selected.map((o) => ({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: toKube(r, o).metadata }));
    return JSON.stringify({ kind: 'PartialObjectMetadataList', apiVersion: 'meta.k8s.io/v1', metadata: meta, items });
  }
  const kind = JSON.stringify(r.def.listKind);
  const apiVersion = JSON.stringify(groupVersion(r.def.group, r.version.name));
  const parts = new Array<string>(selected.length);
  for (let j = 0; j < selected.length; j++) parts[j] = renderListItem(r, selected[j] as StoredObject);
  // A typed list is encoded field by field, its metadata before its items; a list of custom
  // resources is an unstructured map, which Go's encoding/json writes with its keys sorted.
  if (r.def.builtIn) return `{"kind":${kind},"apiVersion":${apiVersion},"metadata":${JSON.stringify(meta)},"items":[${parts.join(',')}]}`;
  const sortedMeta = Object.fromEntries(Object.entries(meta).sort(([a], [b]) => (a < b ? -1 : 1)));
  return `{"apiVersion":${apiVersion},"items":[${parts.join(',')}],"kind":${kind},"metadata":${JSON.stringify(sortedMeta)}}`;
}
