import type { KubeClient } from '../kube/client.js';
import { OwnObjects } from './own-objects.js';

/**
 * Deletes the `Restore` object that mirrors a restore record, where there is one: deleting a
 * backup deletes the records of its restores, and their mirrors with them.
 * @returns false when there was no such object
 */
export function deleteRestoreObject(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  return new OwnObjects(client, namespace, 'restores').delete(name);
}
