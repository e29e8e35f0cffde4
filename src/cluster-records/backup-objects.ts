import { isAlreadyExists } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { OwnerReference } from '../kube/types.js';
import { backupObjectManifest, viewBackupObject, type BackupObjectIdentity, type BackupObjectView } from './backup-object.js';
import { OwnObjects } from './own-objects.js';

/** The `Backup` objects of the tool namespace; only where the CRDs are installed (see available). */
export class BackupObjects extends OwnObjects {
  constructor(client: KubeClient, namespace: string) {
    super(client, namespace, 'backups');
  }

  /** Every object, or those matching the label selector. */
  async list(labelSelector?: string): Promise<BackupObjectView[]> {
    return (await this.items(labelSelector)).map(viewBackupObject);
  }

  async get(name: string): Promise<BackupObjectView | undefined> {
    const object = await this.item(name);
    return object && viewBackupObject(object);
  }

  /**
   * Creates the object; one already there under the name is replaced. Callers create either for
   * a backup that has no record yet, so that an existing object is what a run that died left
   * (or a leftover of a deleted backup), or from a record (sync), which the object mirrors.
   */
  async create(identity: BackupObjectIdentity): Promise<void> {
    const body = backupObjectManifest(identity, this.namespace);
    try {
      await this.post(body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await this.delete(identity.name);
      await this.post(body);
    }
  }

  /** Replaces the owners; an empty list removes them all. */
  async setOwnerReferences(name: string, ownerReferences: readonly OwnerReference[]): Promise<void> {
    // In a merge patch null removes the field; a list replaces the whole list.
    await this.patch(name, { metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null } });
  }
}
