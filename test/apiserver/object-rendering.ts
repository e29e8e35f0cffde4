import { eventFromCore, eventToCore } from './event-conversion.js';
import type { KubeObject } from './object-meta.js';
import { groupVersion, storageKey, type ResourceDef } from './resource-def.js';
import type { ResolvedResource } from './resource-registry.js';
import { parseStored, type StoredObject } from './stored-object.js';

interface Conversion {
  toStorage(obj: KubeObject): KubeObject;
  fromStorage(obj: KubeObject): KubeObject;
}

/** Resources stored in another resource's shape (events.k8s.io events live as core events). */
const CONVERSIONS: Record<string, Conversion> = {
  [storageKey('events.k8s.io', 'events')]: { toStorage: eventToCore, fromStorage: eventFromCore },
};

export function conversionFor(def: ResourceDef): Conversion | undefined {
  return def.storage === storageKey(def.group, def.plural) ? undefined : CONVERSIONS[storageKey(def.group, def.plural)];
}

function typeMeta(r: ResolvedResource): string {
  const apiVersion = JSON.stringify(groupVersion(r.def.group, r.version.name));
  const kind = JSON.stringify(r.def.kind);
  // Built-in types print kind first (Go struct order); custom resources are maps, sorted by key.
  return r.def.builtIn ? `"kind":${kind},"apiVersion":${apiVersion}` : `"apiVersion":${apiVersion},"kind":${kind}`;
}

function convertedBody(conversion: Conversion, stored: StoredObject): string {
  return JSON.stringify(conversion.fromStorage(parseStored(stored))).slice(1, -1);
}

function bodyOf(r: ResolvedResource, stored: StoredObject): string {
  const conversion = conversionFor(r.def);
  return conversion ? convertedBody(conversion, stored) : stored.body;
}

/** The object as GET returns it, with kind and apiVersion of the version asked for. */
export function renderObject(r: ResolvedResource, stored: StoredObject): string {
  const body = bodyOf(r, stored);
  return body === '' ? `{${typeMeta(r)}}` : `{${typeMeta(r)},${body}}`;
}

/** The object as an item of a LIST: built-in items carry no kind/apiVersion, custom resources do. */
export function renderListItem(r: ResolvedResource, stored: StoredObject): string {
  if (!r.def.builtIn) return renderObject(r, stored);
  return `{${bodyOf(r, stored)}}`;
}

export function toKube(r: ResolvedResource, stored: StoredObject): KubeObject {
  return JSON.parse(renderObject(r, stored)) as KubeObject;
}
