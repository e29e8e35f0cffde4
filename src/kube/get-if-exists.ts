import { isForbidden, isNotFound } from './api-error.js';
import type { KubeClient } from './client.js';

/** The object at `path`, or undefined when the API server has none (404); other errors propagate. */
export async function getIfExists<T>(client: KubeClient, path: string, signal?: AbortSignal): Promise<T | undefined> {
  try {
    return await client.json<T>({ method: 'GET', path, ...(signal ? { signal } : {}) });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** Whether the object at `path` exists; undefined when we may not read it (403) and cannot tell. */
export async function existsIfReadable(client: KubeClient, path: string): Promise<boolean | undefined> {
  try {
    await client.json({ method: 'GET', path });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    if (isForbidden(err)) return undefined;
    throw err;
  }
}
