import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { ownResourcePath } from '../install/api-group.js';

/**
 * Deletes the `Restore` object that mirrors a restore record, where there is one: deleting a
 * backup deletes the records of its restores, and their mirrors with them.
 * @returns false when there was no such object
 */
export async function deleteRestoreObject(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  try {
    await client.json({ method: 'DELETE', path: ownResourcePath('restores', namespace, name) });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
