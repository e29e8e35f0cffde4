import type { KubeClient } from './client.js';
import type { KubeList, KubeObject } from './types.js';

/** fields.EscapeValue: a name with `\`, `,` or `=` must not split or end the selector's term. */
export function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

export interface ListByNameOptions {
  /** Only when the object also matches this label selector. */
  labelSelector?: string | undefined;
  signal?: AbortSignal | undefined;
}

/**
 * The object of this name in the collection at `collectionPath`, read by a LIST with a
 * `metadata.name` field selector instead of a GET: every resource supports that selector, and
 * `list` is the one verb the scheduled runner has on every resource (`get` on `*` would also
 * match subresources such as pods/exec and nodes/proxy, RBAC's `*` matching them too). The API
 * server answers a LIST selecting one name from that one key, as cheaply as a GET. Undefined
 * when there is no such object: a LIST has no 404.
 */
export async function listByName(client: KubeClient, collectionPath: string, name: string, options: ListByNameOptions = {}): Promise<KubeObject | undefined> {
  const list = await client.json<KubeList>({
    method: 'GET',
    path: collectionPath,
    query: { fieldSelector: `metadata.name=${escapeFieldValue(name)}`, ...(options.labelSelector !== undefined ? { labelSelector: options.labelSelector } : {}) },
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return list.items?.find((o) => o.metadata?.name === name);
}
