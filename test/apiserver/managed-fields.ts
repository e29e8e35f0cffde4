import { isObject, type JsonObject, type JsonValue } from './json.js';
import type { KubeObject, ManagedFieldsEntry } from './object-meta.js';
import { listPatchMeta } from './patch-meta.js';

const SERVER_META = new Set([
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation',
  'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields',
]);

export type FieldScope = 'main' | 'status' | 'all';

/** The part of an object a writer manages: status is the status subresource's when it has one. */
function managedContent(obj: KubeObject, scope: FieldScope): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || key === 'apiVersion' || key === 'kind') continue;
    if (scope === 'main' && key === 'status') continue;
    if (scope === 'status' && key !== 'status') continue;
    if (key === 'metadata') {
      const meta: JsonObject = {};
      for (const [mk, mv] of Object.entries(obj.metadata)) {
        if (!SERVER_META.has(mk) && mv !== undefined) meta[mk] = mv as JsonValue;
      }
      if (Object.keys(meta).length > 0) out.metadata = meta;
      continue;
    }
    out[key] = value as JsonValue;
  }
  return out;
}

/** Flattened field set: path -> JSON of the leaf value ('' for containers). */
type FlatFields = Map<string, string>;

/** Top-level fields that are maps (not structs); like nested maps they own a "." entry. */
const MAP_FIELDS = new Set(['data', 'binaryData', 'stringData']);

function flatten(value: JsonObject, path: string[], prefix: string, out: FlatFields, depth: number): void {
  if (depth > 1 || (depth === 1 && MAP_FIELDS.has(path[0] ?? ''))) out.set(`${prefix}.`, '');
  for (const [key, v] of Object.entries(value)) {
    if (v === undefined) continue;
    const p = `${prefix}f:${key}\n`;
    const childPath = [...path, key];
    if (isObject(v)) {
      flatten(v, childPath, p, out, depth + 1);
    } else if (Array.isArray(v)) {
      const meta = listPatchMeta(childPath);
      if (meta.strategy === 'merge' && meta.key !== undefined) {
        out.set(`${p}.`, '');
        for (const item of v) {
          if (!isObject(item)) continue;
          const id = `k:${JSON.stringify({ [meta.key]: item[meta.key] })}\n`;
          flatten(item, childPath, `${p}${id}`, out, 2);
        }
      } else if (meta.strategy === 'merge') {
        out.set(`${p}.`, '');
        for (const item of v) out.set(`${p}v:${JSON.stringify(item)}\n`, '');
      } else {
        out.set(p, JSON.stringify(v));
      }
    } else {
      out.set(p, JSON.stringify(v));
    }
  }
}

function flatFields(obj: KubeObject, scope: FieldScope): FlatFields {
  const out: FlatFields = new Map();
  flatten(managedContent(obj, scope), [], '', out, 0);
  return out;
}

/** Rebuilds the nested FieldsV1 form from flattened paths. */
function unflatten(paths: Iterable<string>): JsonObject {
  const root: JsonObject = {};
  for (const path of paths) {
    const parts = path.split('\n').filter((p) => p !== '');
    let node = root;
    for (const part of parts) {
      const next = node[part];
      if (isObject(next)) node = next;
      else {
        const created: JsonObject = {};
        node[part] = created;
        node = created;
      }
    }
  }
  return root;
}

function flattenFieldsV1(fields: JsonObject, prefix: string, out: Set<string>): void {
  const entries = Object.entries(fields);
  if (entries.length === 0 && prefix !== '') out.add(prefix);
  for (const [key, value] of entries) {
    const p = key === '.' ? `${prefix}.` : `${prefix}${key}\n`;
    if (key === '.') out.add(p);
    else if (isObject(value)) flattenFieldsV1(value, p, out);
  }
}

export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface ManagerIdentity {
  manager: string;
  operation: 'Update' | 'Apply';
  apiVersion: string;
  subresource?: string;
}

function entryFor(id: ManagerIdentity, fields: JsonObject, time: string): ManagedFieldsEntry {
  const entry: ManagedFieldsEntry = {
    manager: id.manager, operation: id.operation, apiVersion: id.apiVersion, time, fieldsType: 'FieldsV1', fieldsV1: fields,
  };
  if (id.subresource) entry.subresource = id.subresource;
  return entry;
}

/** managedFields of a new object: one entry owning every field the writer set. */
export function managedFieldsOnCreate(obj: KubeObject, id: ManagerIdentity, scope: FieldScope): ManagedFieldsEntry[] {
  const flat = flatFields(obj, scope);
  if (flat.size === 0) return [];
  return [entryFor(id, unflatten(flat.keys()), nowTimestamp())];
}

/**
 * managedFields after an update: the writer gains the fields it changed, the other managers
 * lose them, fields that disappeared are dropped everywhere, and empty entries go.
 */
export function managedFieldsOnUpdate(
  oldObj: KubeObject, newObj: KubeObject, id: ManagerIdentity, scope: FieldScope,
): ManagedFieldsEntry[] {
  const before = flatFields(oldObj, 'all');
  const after = flatFields(newObj, 'all');
  const writable = flatFields(newObj, scope);
  const changed = new Set<string>();
  for (const [path, value] of writable) if (before.get(path) !== value) changed.add(path);

  const time = nowTimestamp();
  const entries = oldObj.metadata.managedFields ?? [];
  const out: ManagedFieldsEntry[] = [];
  let found = false;
  for (const entry of entries) {
    const owned = new Set<string>();
    flattenFieldsV1(entry.fieldsV1, '', owned);
    const kept = [...owned].filter((p) => after.has(p));
    const isWriter = entry.manager === id.manager && entry.operation === id.operation && (entry.subresource ?? '') === (id.subresource ?? '');
    if (isWriter) {
      found = true;
      const set = new Set(kept);
      for (const p of changed) set.add(p);
      if (set.size > 0) out.push(entryFor(id, unflatten(set), changed.size > 0 ? time : entry.time));
    } else {
      const remaining = kept.filter((p) => !changed.has(p));
      if (remaining.length > 0) out.push({ ...entry, fieldsV1: unflatten(remaining) });
    }
  }
  if (!found && changed.size > 0) out.push(entryFor(id, unflatten(changed), time));
  return out;
}
