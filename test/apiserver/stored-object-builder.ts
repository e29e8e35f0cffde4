import { getPath, sortKeysDeep, type JsonObject } from './json.js';
import { canonicalMetadata, type KubeObject } from './object-meta.js';
import type { ResourceDef } from './resource-def.js';
import { objectKey, serialiseBody, type StoredObject } from './stored-object.js';

// Shared by the many stored objects that have no labels, field values, owners or finalizers.
const NO_FIELDS: Readonly<Record<string, string>> = Object.freeze({});
const NONE: readonly string[] = Object.freeze([]);

/**
 * Freezes an object into its stored form: metadata in the real server's field order (custom
 * resources with sorted keys, as Go marshals maps), serialised once, with the labels, field
 * selector values and owners kept beside the JSON for filtering and garbage collection.
 */
export function buildStored(sdef: ResourceDef, obj: KubeObject, rv: number): StoredObject {
  const meta = obj.metadata;
  if (rv > 0) meta.resourceVersion = String(rv);
  else delete meta.resourceVersion;
  const canonical = canonicalMetadata(meta);
  let ordered: KubeObject;
  if (sdef.builtIn) {
    ordered = { metadata: canonical };
    for (const [k, v] of Object.entries(obj)) if (k !== 'metadata' && k !== 'status' && v !== undefined) ordered[k] = v;
    if (obj.status !== undefined) ordered.status = obj.status;
  } else {
    ordered = sortKeysDeep({ ...(obj as JsonObject), metadata: canonical as JsonObject } as JsonObject) as unknown as KubeObject;
  }
  const selectors = Object.entries(sdef.fieldSelectors);
  const fields: Record<string, string> = selectors.length === 0 ? NO_FIELDS : {};
  for (const [label, spec] of selectors) {
    const bar = spec.indexOf('|');
    const path = bar < 0 ? spec : spec.slice(0, bar);
    const fallback = bar < 0 ? '' : spec.slice(bar + 1);
    const value = getPath(obj, path.split('.'));
    fields[label] = value === undefined || value === null ? fallback : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  const ownerUids = (meta.ownerReferences ?? []).map((o) => o.uid).filter((u): u is string => typeof u === 'string');
  return {
    key: objectKey(meta.namespace ?? '', meta.name ?? ''),
    namespace: meta.namespace ?? '',
    name: meta.name ?? '',
    uid: meta.uid ?? '',
    rv,
    labels: meta.labels ?? NO_FIELDS,
    fields,
    body: serialiseBody(ordered),
    ownerUids: ownerUids.length > 0 ? ownerUids : NONE,
    deleting: meta.deletionTimestamp !== undefined,
    finalizers: meta.finalizers && meta.finalizers.length > 0 ? meta.finalizers : NONE,
  };
}
