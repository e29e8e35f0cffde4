import { BadInputError } from '../errors.js';
import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { ownResourcePath } from '../install/api-group.js';
import { NotInstalledError, servedOwnResources } from '../install/installed.js';
import { locationFromObject, locationObject, type StorageLocation } from './storage-location.js';

export class LocationNotFoundError extends BadInputError {
  constructor(name: string, namespace: string) {
    super(`storage location "${name}" not found in namespace ${namespace}; see: kubectl backup location get`);
  }
}

/** `BackupStorageLocation` objects of the tool namespace. */
export class LocationClient {
  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
  ) {}

  /** False when the CRDs are not installed: then there are no named locations at all. */
  async available(): Promise<boolean> {
    return (await servedOwnResources(this.client)).has('backupstoragelocations');
  }

  /** Throws NotInstalledError naming `what` unless locations can be stored. */
  async requireAvailable(what: string): Promise<void> {
    if (!(await this.available())) throw new NotInstalledError(what);
  }

  async list(): Promise<StorageLocation[]> {
    const list = await this.client.json<KubeList>({ method: 'GET', path: ownResourcePath('backupstoragelocations', this.namespace) });
    return list.items.map(locationFromObject).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<StorageLocation | undefined> {
    try {
      return locationFromObject(await this.client.json<KubeObject>({ method: 'GET', path: ownResourcePath('backupstoragelocations', this.namespace, name) }));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async require(name: string): Promise<StorageLocation> {
    const location = await this.get(name);
    if (!location) throw new LocationNotFoundError(name, this.namespace);
    return location;
  }

  /** The location marked default, if any (the first by name if several were marked by hand). */
  async defaultLocation(): Promise<StorageLocation | undefined> {
    return (await this.list()).find((l) => l.default);
  }

  async create(location: StorageLocation): Promise<void> {
    await this.client.json({ method: 'POST', path: ownResourcePath('backupstoragelocations', this.namespace), body: locationObject(location, this.namespace) });
  }

  /** Merge patch of the spec: only the fields given change; `null` removes one. */
  async patchSpec(name: string, spec: Record<string, unknown>): Promise<void> {
    await this.client.json({
      method: 'PATCH',
      path: ownResourcePath('backupstoragelocations', this.namespace, name),
      contentType: 'application/merge-patch+json',
      body: { spec },
    });
  }

  async patchStatus(name: string, status: Record<string, unknown>): Promise<void> {
    await this.client.json({
      method: 'PATCH',
      path: `${ownResourcePath('backupstoragelocations', this.namespace, name)}/status`,
      contentType: 'application/merge-patch+json',
      body: { status },
    });
  }

  async delete(name: string): Promise<void> {
    await this.client.json({ method: 'DELETE', path: ownResourcePath('backupstoragelocations', this.namespace, name) });
  }
}
