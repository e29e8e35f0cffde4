import { ApiError } from './api-error.js';
import type { JsonObject, JsonValue } from './json.js';
import { MESSAGE_LAYOUTS, PROTOBUF_KINDS, type FieldLayout } from './protobuf-schemas.js';
import { readFields, readPackedVarints, WireError, type WireField } from './protobuf-wire.js';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

function unsupported(detail: string): ApiError {
  return new ApiError(415, 'UnsupportedMediaType',
    `the test apiserver cannot decode this protobuf body (${detail}); send the object as JSON instead (for example kubectl create -f)`);
}

function timeValue(buf: Buffer): JsonValue {
  let seconds = 0n;
  let nanos = 0n;
  for (const f of readFields(buf)) {
    if (f.number === 1) seconds = f.varint ?? 0n;
    if (f.number === 2) nanos = f.varint ?? 0n;
  }
  if (seconds === 0n && nanos === 0n) return null;
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Special message types that map to scalars in JSON. */
function wellKnown(type: string, buf: Buffer): JsonValue | undefined {
  switch (type) {
    case 'Time':
      return timeValue(buf);
    case 'Quantity': {
      const f = readFields(buf).find((x) => x.number === 1);
      return f?.bytes ? f.bytes.toString('utf8') : '';
    }
    case 'IntOrString': {
      let kind = 0n;
      let intVal = 0n;
      let strVal = '';
      for (const f of readFields(buf)) {
        if (f.number === 1) kind = f.varint ?? 0n;
        if (f.number === 2) intVal = f.varint ?? 0n;
        if (f.number === 3) strVal = f.bytes?.toString('utf8') ?? '';
      }
      return kind === 1n ? strVal : Number(intVal);
    }
    case 'FieldsV1': {
      const f = readFields(buf).find((x) => x.number === 1);
      return f?.bytes ? (JSON.parse(f.bytes.toString('utf8')) as JsonValue) : {};
    }
    default:
      return undefined;
  }
}

function scalar(type: string, f: WireField): JsonValue {
  switch (type) {
    case 's': return f.bytes?.toString('utf8') ?? '';
    case 'bytes': return f.bytes?.toString('base64') ?? '';
    case 'b': return (f.varint ?? 0n) !== 0n;
    case 'i32': return Number(BigInt.asIntN(32, f.varint ?? 0n));
    case 'i64': return Number(f.varint ?? 0n);
    default: throw unsupported(`scalar type ${type}`);
  }
}

function isScalar(type: string): boolean {
  return type === 's' || type === 'b' || type === 'i32' || type === 'i64' || type === 'bytes';
}

function isZero(value: JsonValue): boolean {
  return value === '' || value === 0 || value === false;
}

function value(type: string, f: WireField, where: string): JsonValue {
  if (isScalar(type)) return scalar(type, f);
  if (!f.bytes) throw unsupported(`${where} is not length-delimited`);
  const known = wellKnown(type, f.bytes);
  if (known !== undefined) return known;
  return decodeMessage(type, f.bytes);
}

function mapEntry(valueType: string, buf: Buffer, where: string): [string, JsonValue] {
  let key = '';
  let v: JsonValue = isScalar(valueType) ? scalar(valueType, { number: 2, wireType: 2, bytes: Buffer.alloc(0), varint: 0n }) : {};
  for (const f of readFields(buf)) {
    if (f.number === 1) key = f.bytes?.toString('utf8') ?? '';
    if (f.number === 2) v = value(valueType, f, where);
  }
  return [key, v];
}

/** Decodes a message by its layout into the JSON the same Go struct marshals to. */
export function decodeMessage(name: string, buf: Buffer): JsonObject {
  const layout = MESSAGE_LAYOUTS[name];
  if (!layout) throw unsupported(`message ${name}`);
  const out: JsonObject = {};
  for (const f of readFields(buf)) {
    const field: FieldLayout | undefined = layout.get(f.number);
    if (!field) throw unsupported(`field ${f.number} of ${name}`);
    const where = `${name}.${field.json}`;
    if (field.type === 'map') {
      const entries = (out[field.json] ?? {}) as JsonObject;
      const [k, v] = mapEntry(field.mapValue ?? 's', f.bytes ?? Buffer.alloc(0), where);
      entries[k] = v;
      out[field.json] = entries;
    } else if (field.repeated) {
      const list = (out[field.json] ?? []) as JsonValue[];
      if ((field.type === 'i32' || field.type === 'i64') && f.wireType === 2 && f.bytes) {
        for (const n of readPackedVarints(f.bytes)) list.push(Number(field.type === 'i32' ? BigInt.asIntN(32, n) : n));
      } else {
        list.push(value(field.type, f, where));
      }
      out[field.json] = list;
    } else if (field.inline) {
      Object.assign(out, value(field.type, f, where));
    } else {
      const v = value(field.type, f, where);
      if (isScalar(field.type) && isZero(v) && !field.keepZero) continue;
      out[field.json] = v;
    }
  }
  // A list without omitempty marshals as null when empty.
  for (const field of layout.values()) {
    if (field.repeated && field.keepZero && out[field.json] === undefined) out[field.json] = null;
  }
  return out;
}

/**
 * Decodes a Kubernetes protobuf body (the "k8s\0" envelope around runtime.Unknown) of the
 * kinds in PROTOBUF_KINDS into a JSON object with apiVersion and kind.
 */
export function decodeProtobufObject(body: Buffer): JsonObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw unsupported('no k8s protobuf envelope');
  try {
    const envelope = decodeMessage('Unknown', body.subarray(4));
    const typeMeta = (envelope.typeMeta ?? {}) as JsonObject;
    const apiVersion = String(typeMeta.apiVersion ?? '');
    const kind = String(typeMeta.kind ?? '');
    const message = PROTOBUF_KINDS[`${apiVersion}/${kind}`];
    if (!message) throw unsupported(`kind ${apiVersion}/${kind}`);
    const raw = Buffer.from(String(envelope.raw ?? ''), 'base64');
    return { kind, apiVersion, ...decodeMessage(message, raw) };
  } catch (err) {
    if (err instanceof WireError) throw unsupported(err.message);
    throw err;
  }
}
