import { isAlreadyExists, isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeObject, OwnerReference } from '../kube/types.js';
import { ownResourcePath } from '../install/api-group.js';
import { servedOwnResources } from '../install/installed.js';
import { backupObjectManifest, viewBackupObject, type BackupObjectIdentity, type BackupObjectView } from './backup-object.js';

/** The `Backup` objects of the tool namespace; only where the CRDs are installed (see available). */
export class BackupObjects {
  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
  ) {}

  /** False when the `backups` CRD is not served: then there are no objects to read or write. */
  async available(): Promise<boolean> {
    return (await servedOwnResources(this.client)).has('backups');
  }

  /** Every object, or those matching the label selector. */
  async list(labelSelector?: string): Promise<BackupObjectView[]> {
    const list = await this.client.json<KubeList>({
      method: 'GET',
      path: ownResourcePath('backups', this.namespace),
      ...(labelSelector !== undefined ? { query: { labelSelector } } : {}),
    });
    return list.items.map(viewBackupObject);
  }

  async get(name: string): Promise<BackupObjectView | undefined> {
    try {
      return viewBackupObject(await this.client.json<KubeObject>({ method: 'GET', path: ownResourcePath('backups', this.namespace, name) }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Creates the object; one already there under the name is replaced. Callers create either for
   * a backup that has no record yet, so that an existing object is what a run that died left
   * (or a leftover of a deleted backup), or from a record (sync), which the object mirrors.
   */
  async create(identity: BackupObjectIdentity): Promise<void> {
    const body = backupObjectManifest(identity, this.namespace);
    try {
      await this.client.json({ method: 'POST', path: ownResourcePath('backups', this.namespace), body });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      await this.delete(identity.name);
      await this.client.json({ method: 'POST', path: ownResourcePath('backups', this.namespace), body });
    }
  }

  /** Replaces the owners; an empty list removes them all. */
  async setOwnerReferences(name: string, ownerReferences: readonly OwnerReference[]): Promise<void> {
    await this.client.json({
      method: 'PATCH',
      path: ownResourcePath('backups', this.namespace, name),
      contentType: 'application/merge-patch+json',
      // In a merge patch null removes the field; a list replaces the whole list.
      body: { metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null } },
    });
  }

  /** Merge patch of the status subresource: only the fields given change. */
  async patchStatus(name: string, status: Record<string, unknown>): Promise<void> {
    await this.client.json({
      method: 'PATCH',
      path: `${ownResourcePath('backups', this.namespace, name)}/status`,
      contentType: 'application/merge-patch+json',
      body: { status },
    });
  }

  /** @returns false when there was no such object */
  async delete(name: string): Promise<boolean> {
    try {
      await this.client.json({ method: 'DELETE', path: ownResourcePath('backups', this.namespace, name) });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
