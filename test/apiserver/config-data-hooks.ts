import { badRequest, fieldForbidden, fieldInvalid, fieldRequired, type FieldError } from './api-error.js';
import { deepEqual, isObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import type { KindHooks } from './write-context.js';

const KEY_FMT = '[-._a-zA-Z0-9]+';
const KEY_RE = new RegExp(`^${KEY_FMT}$`);
const KEY_MSG = `a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '${KEY_FMT}')`;
const MAX_SIZE = 1024 * 1024;
const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Keys and the size limit. As the real server, the limit counts bytes of the values: decoded
 * bytes for the base64 fields (Secret data, ConfigMap binaryData), UTF-8 bytes for strings.
 */
function validateKeys(obj: KubeObject, fields: string[], base64Fields: readonly string[]): FieldError[] {
  const errors: FieldError[] = [];
  let size = 0;
  for (const field of fields) {
    const data = obj[field];
    if (data === undefined || data === null) continue;
    if (!isObject(data)) {
      errors.push(fieldInvalid(field, data, 'must be a map'));
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      if (!KEY_RE.test(key) || key === '.' || key === '..') errors.push(fieldInvalid(`${field}[${key}]`, key, KEY_MSG));
      if (typeof value === 'string') size += Buffer.byteLength(value, base64Fields.includes(field) ? 'base64' : 'utf8');
    }
  }
  if (size > MAX_SIZE) errors.push({ type: 'FieldValueTooLong', field: fields[0] ?? 'data', detail: `Too long: must have at most ${MAX_SIZE} bytes` });
  return errors;
}

/** `immutable: true` freezes the data and cannot be undone. */
function checkImmutable(obj: KubeObject, old: KubeObject, fields: string[]): FieldError[] {
  if (old.immutable !== true) return [];
  const errors: FieldError[] = [];
  if (obj.immutable !== true) errors.push(fieldForbidden('immutable', 'field is immutable when `immutable` is set'));
  for (const field of fields) {
    if (!deepEqual(obj[field] ?? {}, old[field] ?? {})) errors.push(fieldForbidden(field, 'field is immutable when `immutable` is set'));
  }
  return errors;
}

export const configMapHooks: KindHooks = {
  prepareCreate(obj) {
    return validateKeys(obj, ['data', 'binaryData'], ['binaryData']);
  },
  prepareUpdate(obj, old) {
    return [...validateKeys(obj, ['data', 'binaryData'], ['binaryData']), ...checkImmutable(obj, old, ['data', 'binaryData'])];
  },
};

/** stringData is write-only: merged into data (base64) and never stored. */
function foldStringData(obj: KubeObject): void {
  const stringData = obj.stringData;
  delete obj.stringData;
  if (!isObject(stringData)) return;
  const data: JsonObject = isObject(obj.data) ? obj.data : {};
  for (const [key, value] of Object.entries(stringData)) {
    if (typeof value === 'string') data[key] = Buffer.from(value, 'utf8').toString('base64');
  }
  obj.data = data;
}

function checkBase64(obj: KubeObject): void {
  if (!isObject(obj.data)) return;
  for (const value of Object.values(obj.data)) {
    if (typeof value !== 'string' || value.length % 4 !== 0 || !BASE64_RE.test(value)) {
      throw badRequest('illegal base64 data at input byte 0');
    }
  }
}

function typeRules(obj: KubeObject): FieldError[] {
  const data = isObject(obj.data) ? obj.data : {};
  const annotations = obj.metadata.annotations ?? {};
  switch (obj.type) {
    case 'kubernetes.io/service-account-token':
      return annotations['kubernetes.io/service-account.name'] ? [] : [fieldRequired('metadata.annotations[kubernetes.io/service-account.name]')];
    case 'kubernetes.io/dockerconfigjson':
      return data['.dockerconfigjson'] !== undefined ? [] : [fieldRequired('data[.dockerconfigjson]')];
    case 'kubernetes.io/tls':
      return ['tls.crt', 'tls.key'].filter((k) => data[k] === undefined).map((k) => fieldRequired(`data[${k}]`));
    default:
      return [];
  }
}

/** The token controller fills service-account token secrets with a token, the CA and the namespace. */
function fillToken(obj: KubeObject, caPem: string): void {
  if (obj.type !== 'kubernetes.io/service-account-token') return;
  const data: JsonObject = isObject(obj.data) ? obj.data : {};
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  data.token ??= b64(`test-token-${obj.metadata.namespace}-${obj.metadata.name}`);
  data['ca.crt'] ??= b64(caPem);
  data.namespace ??= b64(obj.metadata.namespace ?? '');
  obj.data = data;
  const annotations = obj.metadata.annotations ?? {};
  annotations['kubernetes.io/service-account.uid'] ??= 'unknown';
  obj.metadata.annotations = annotations;
}

export const secretHooks: KindHooks = {
  prepareCreate(obj, ctx) {
    obj.type ??= 'Opaque';
    checkBase64(obj);
    foldStringData(obj);
    const errors = [...validateKeys(obj, ['data'], ['data']), ...typeRules(obj)];
    if (errors.length === 0) fillToken(obj, ctx.host.caPem);
    return errors;
  },
  prepareUpdate(obj, old) {
    obj.type ??= old.type ?? 'Opaque';
    checkBase64(obj);
    foldStringData(obj);
    return [...validateKeys(obj, ['data'], ['data']), ...typeRules(obj), ...checkImmutable(obj, old, ['data'])];
  },
};
