import type { KubeObject } from './object-meta.js';

/**
 * One version of one object, immutable once stored. The JSON is kept serialised (without
 * kind/apiVersion, which depend on the version it is read at) so that LIST pages are built
 * by concatenation; labels and selectable fields are kept beside it for filtering.
 */
export interface StoredObject {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string;
  readonly rv: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Values of the resource's field selectors (metadata.name/namespace excluded). */
  readonly fields: Readonly<Record<string, string>>;
  /** The object's JSON members without the enclosing braces, kind and apiVersion. */
  readonly body: string;
  readonly ownerUids: readonly string[];
  readonly deleting: boolean;
  readonly finalizers: readonly string[];
}

/** The object's etcd key below its resource's prefix: `namespace/name`, or `name` when cluster-scoped. */
export function objectKey(namespace: string, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

export function parseStored(stored: StoredObject): KubeObject {
  return JSON.parse(`{${stored.body}}`) as KubeObject;
}

/** Serialises an object's members for storage: kind and apiVersion are dropped. */
export function serialiseBody(obj: KubeObject): string {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = obj;
  return JSON.stringify(rest).slice(1, -1);
}
