import { ApiError } from './api-error.js';
import { deepEqual, isObject, type JsonObject, type JsonValue } from './json.js';

interface Operation {
  op: string;
  path: string;
  from?: string;
  value?: JsonValue;
}

function patchError(message: string): ApiError {
  return new ApiError(422, 'Invalid', message);
}

function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw patchError(`JSON pointer must start with '/': ${pointer}`);
  return pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

type Container = JsonObject | JsonValue[];

function resolveParent(doc: JsonValue, tokens: string[], opName: string, path: string): [Container, string] {
  let current: JsonValue = doc;
  for (const token of tokens.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(current) ? current[Number(token)] : isObject(current) ? current[token] : undefined;
    if (next === undefined) throw patchError(`${opName} operation does not apply: doc is missing path: "${path}": missing value`);
    current = next;
  }
  if (!Array.isArray(current) && !isObject(current)) {
    throw patchError(`${opName} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return [current, tokens[tokens.length - 1] as string];
}

function arrayIndex(arr: JsonValue[], token: string, allowEnd: boolean, path: string): number {
  if (token === '-' && allowEnd) return arr.length;
  if (!/^\d+$/.test(token)) throw patchError(`invalid index referenced by path "${path}"`);
  const i = Number(token);
  if (i > arr.length || (!allowEnd && i === arr.length)) throw patchError(`Unable to access invalid index: ${i}`);
  return i;
}

function getAt(doc: JsonValue, path: string, opName: string): JsonValue {
  let current: JsonValue | undefined = doc;
  for (const token of parsePointer(path)) {
    current = Array.isArray(current) ? current[Number(token)] : isObject(current) ? current[token] : undefined;
    if (current === undefined) throw patchError(`${opName} operation does not apply: doc is missing path: "${path}": missing value`);
  }
  return current;
}

function remove(doc: JsonValue, path: string, opName: string): JsonValue {
  const tokens = parsePointer(path);
  const [parent, last] = resolveParent(doc, tokens, opName, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, false, path);
    return parent.splice(i, 1)[0] as JsonValue;
  }
  if (!(last in parent)) throw patchError(`${opName} operation does not apply: doc is missing key: ${path}: missing value`);
  const old = parent[last] as JsonValue;
  delete parent[last];
  return old;
}

function add(doc: JsonValue, path: string, value: JsonValue, replace: boolean): JsonValue {
  const tokens = parsePointer(path);
  if (tokens.length === 0) return value;
  const opName = replace ? 'replace' : 'add';
  const [parent, last] = resolveParent(doc, tokens, opName, path);
  if (Array.isArray(parent)) {
    const i = arrayIndex(parent, last, !replace, path);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else {
    if (replace && !(last in parent)) throw patchError(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = value;
  }
  return doc;
}

/** RFC 6902 JSON patch. Failures are 422s, as interpretPatchError makes them. */
export function applyJsonPatch(document: JsonValue, operations: unknown): JsonValue {
  if (!Array.isArray(operations)) throw new ApiError(400, 'BadRequest', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc: JsonValue = structuredClone(document);
  for (const raw of operations as unknown[]) {
    if (!isObject(raw)) throw patchError('invalid JSON patch operation');
    const op = raw as unknown as Operation;
    switch (op.op) {
      case 'add': doc = add(doc, op.path, structuredClone(op.value ?? null), false); break;
      case 'replace': doc = add(doc, op.path, structuredClone(op.value ?? null), true); break;
      case 'remove': remove(doc, op.path, 'remove'); break;
      case 'move': {
        const value = remove(doc, op.from ?? '', 'move');
        doc = add(doc, op.path, value, false);
        break;
      }
      case 'copy': doc = add(doc, op.path, structuredClone(getAt(doc, op.from ?? '', 'copy')), false); break;
      case 'test': {
        const actual = getAt(doc, op.path, 'test');
        if (!deepEqual(actual, op.value)) throw patchError(`testing value ${op.path} failed: test failed`);
        break;
      }
      default: throw patchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}
