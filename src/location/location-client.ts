import { BadInputError } from '../errors.js';
import { OwnObjects } from '../cluster-records/own-objects.js';
import type { KubeClient } from '../kube/client.js';
import { NotInstalledError } from '../install/installed.js';
import { locationFromObject, locationObject, type StorageLocation } from './storage-location.js';

export class LocationNotFoundError extends BadInputError {
  constructor(name: string, namespace: string) {
    super(`storage location "${name}" not found in namespace ${namespace}; see: kubectl backup location get`);
  }
}

/** `BackupStorageLocation` objects of the tool namespace. */
export class LocationClient extends OwnObjects {
  constructor(client: KubeClient, namespace: string) {
    super(client, namespace, 'backupstoragelocations');
  }

  /** Throws NotInstalledError naming `what` unless locations can be stored. */
  async requireAvailable(what: string): Promise<void> {
    if (!(await this.available())) throw new NotInstalledError(what);
  }

  async list(): Promise<StorageLocation[]> {
    return (await this.items()).map(locationFromObject).sort((a, b) => a.name.localeCompare(b.name));
  }

  async get(name: string): Promise<StorageLocation | undefined> {
    const object = await this.item(name);
    return object && locationFromObject(object);
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
    await this.post(locationObject(location, this.namespace));
  }

  /** Merge patch of the spec: only the fields given change; `null` removes one. */
  async patchSpec(name: string, spec: Record<string, unknown>): Promise<void> {
    await this.patch(name, { spec });
  }
}
