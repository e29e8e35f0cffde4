import { Flags } from '@oclif/core';
import { BadInputError } from '../../../errors.js';
import type { KubeClient } from '../../../kube/client.js';
import { LocationClient } from '../../../location/location-client.js';
import type { Logger } from '../../../log/logger.js';
import { defaultLocationUrl, formatLocationUrl, parseLocationUrl } from '../../../storage/location-url.js';
import type { ObjectStore } from '../../../storage/object-store.js';
import { openObjectStore } from '../../../storage/open-object-store.js';

export const storageFlags = {
  'storage-location': Flags.string({ description: 'name of a BackupStorageLocation in the tool namespace (default: the location marked default)', helpGroup: 'STORAGE' }),
  storage: Flags.string({ description: 'a storage URL instead of a named location: file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]', helpGroup: 'STORAGE' }),
};

export interface StorageFlagValues {
  'storage-location'?: string;
  storage?: string;
}

export interface StorageTarget {
  store: ObjectStore;
  /** How messages name it: `location "default"` or the URL. */
  label: string;
}

/**
 * Which location a command uses (storage.md, Locations): `--storage URL`; else
 * `--storage-location NAME`; else the location marked default; else (none, or no CRDs) the
 * embedded default under $XDG_DATA_HOME, said on stderr.
 */
export async function resolveStorage(flags: StorageFlagValues, cluster: () => Promise<KubeClient>, namespace: string, logger: Logger): Promise<StorageTarget> {
  if (flags.storage !== undefined && flags['storage-location'] !== undefined) throw new BadInputError('--storage and --storage-location cannot be used together');
  if (flags.storage !== undefined) {
    const url = parseLocationUrl(flags.storage);
    return { store: openObjectStore(url), label: formatLocationUrl(url) };
  }
  const locations = new LocationClient(await cluster(), namespace);
  if (flags['storage-location'] !== undefined) {
    await locations.requireAvailable('--storage-location');
    const location = await locations.require(flags['storage-location']);
    return { store: openObjectStore(location.url), label: `location "${location.name}"` };
  }
  if (await locations.available()) {
    const location = await locations.defaultLocation();
    if (location) return { store: openObjectStore(location.url), label: `location "${location.name}"` };
  }
  const url = defaultLocationUrl();
  logger.log('info', 'using the default storage location', { url });
  return { store: openObjectStore(url), label: url };
}
