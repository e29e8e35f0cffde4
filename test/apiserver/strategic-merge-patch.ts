import { badRequest } from './api-error.js';
import { deepEqual, isObject, type JsonObject, type JsonValue } from './json.js';
import { listPatchMeta } from './patch-meta.js';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/**
 * Applies a strategic merge patch as the server does for built-in types: maps merge, lists
 * with a merge key merge element-wise, and the directives `$patch` (replace/delete/merge),
 * `$retainKeys`, `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` are honoured.
 */
export function applyStrategicMergePatch(original: JsonObject, patch: JsonValue): JsonObject {
  if (!isObject(patch)) throw badRequest('the body of the request was in an unknown format - strategic merge patch must be an object');
  const merged = mergeMap(structuredClone(original), patch, []);
  return merged ?? {};
}

function mergeMap(original: JsonObject, patch: JsonObject, path: string[]): JsonObject | undefined {
  const directive = patch[PATCH];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch, path) as JsonObject;
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unknown patch type: ${String(directive)}`);

  const retain = patch[RETAIN_KEYS];
  if (retain !== undefined) {
    if (!Array.isArray(retain)) throw badRequest('invalid patch: $retainKeys must be a list');
    const keep = new Set(retain.map(String));
    for (const key of Object.keys(original)) if (!keep.has(key)) delete original[key];
  }

  const orders = new Map<string, JsonValue[]>();
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined || key === PATCH || key === RETAIN_KEYS) continue;
    if (key.startsWith(SET_ORDER)) {
      if (Array.isArray(value)) orders.set(key.slice(SET_ORDER.length), value);
      continue;
    }
    if (key.startsWith(DELETE_PRIMITIVE)) {
      const field = key.slice(DELETE_PRIMITIVE.length);
      const current = original[field];
      if (Array.isArray(current) && Array.isArray(value)) {
        original[field] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
      }
      continue;
    }
    const childPath = [...path, key];
    if (value === null) {
      delete original[key];
      continue;
    }
    const current = original[key];
    if (isObject(value)) {
      const base = isObject(current) ? current : {};
      const merged = mergeMap(base, value, childPath);
      if (merged === undefined) delete original[key];
      else original[key] = merged;
    } else if (Array.isArray(value)) {
      original[key] = mergeList(Array.isArray(current) ? current : [], value, childPath);
    } else {
      original[key] = value;
    }
  }

  for (const [field, order] of orders) {
    const list = original[field];
    if (Array.isArray(list)) original[field] = applyOrder(list, order, listPatchMeta([...path, field]).key);
  }
  return original;
}

function mergeList(original: JsonValue[], patch: JsonValue[], path: string[]): JsonValue[] {
  const meta = listPatchMeta(path);
  const replaceMarker = patch.findIndex((item) => isObject(item) && item[PATCH] === 'replace' && Object.keys(item).length === 1);
  if (replaceMarker >= 0) {
    return patch.filter((_, i) => i !== replaceMarker).map((item) => stripDirectives(item, path));
  }
  if (meta.strategy !== 'merge') return patch.map((item) => stripDirectives(item, path));

  if (meta.key === undefined) {
    const out = [...original];
    for (const item of patch) if (!out.some((o) => deepEqual(o, item))) out.push(item);
    return out;
  }

  const key = meta.key;
  const out = [...original];
  for (const item of patch) {
    if (!isObject(item)) throw badRequest(`invalid patch: list ${path.join('.')} has an element that is not a map`);
    const keyValue = item[key];
    const index = out.findIndex((o) => isObject(o) && deepEqual(o[key], keyValue));
    if (item[PATCH] === 'delete') {
      if (index >= 0) out.splice(index, 1);
      continue;
    }
    if (index >= 0) {
      const merged = mergeMap(out[index] as JsonObject, item, path);
      if (merged === undefined) out.splice(index, 1);
      else out[index] = merged;
    } else {
      out.push(stripDirectives(item, path));
    }
  }
  return out;
}

/** Orders a merged list after `$setElementOrder`; items the order does not name keep their place after. */
function applyOrder(list: JsonValue[], order: JsonValue[], key: string | undefined): JsonValue[] {
  const identity = (item: JsonValue): JsonValue | undefined => (key !== undefined && isObject(item) ? item[key] : item);
  const wanted = order.map((o) => (key !== undefined && isObject(o) ? o[key] : o));
  const ranked: JsonValue[] = [];
  for (const w of wanted) {
    const found = list.find((item) => deepEqual(identity(item), w));
    if (found !== undefined && !ranked.includes(found)) ranked.push(found);
  }
  const rest = list.filter((item) => !ranked.includes(item));
  return [...ranked, ...rest];
}

/** Drops directives from values that are inserted rather than merged. */
function stripDirectives(value: JsonValue, path: string[]): JsonValue {
  if (Array.isArray(value)) return value.map((v) => stripDirectives(v, path));
  if (!isObject(value)) return value;
  if (value[PATCH] === 'delete') return {};
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || k === PATCH || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (v === null) continue;
    out[k] = stripDirectives(v, [...path, k]);
  }
  return out;
}

/**
 * Merges an applied configuration into a live object (server-side apply without ownership
 * tracking): maps and keyed lists merge, other values replace.
 */
export function mergeApplied(live: JsonObject, applied: JsonObject): JsonObject {
  return mergeMap(structuredClone(live), applied, []) ?? {};
}
