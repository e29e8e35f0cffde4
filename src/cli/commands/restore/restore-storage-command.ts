import { Flags } from '@oclif/core';
import { BadInputError } from '../../../errors.js';
import type { KubeClient } from '../../../kube/client.js';
import { resolveLocation, type ResolvedLocation } from '../../../location/resolve.js';
import { RestoreRepository } from '../../../storage/restore-repository.js';
import { BaseCommand } from '../../base-command.js';

export const storageFlags = {
  'storage-location': Flags.string({ description: 'name of a BackupStorageLocation in the tool namespace (default: the location marked default)', helpGroup: 'STORAGE' }),
  storage: Flags.string({ description: 'a storage URL instead of a named location: file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]', helpGroup: 'STORAGE' }),
};

export interface StorageFlagValues {
  'storage-location'?: string;
  storage?: string;
}

/** Restore commands that read or delete records in storage. */
export abstract class RestoreStorageCommand extends BaseCommand {
  /**
   * The location (storage.md, Locations). Only named locations need the cluster: with
   * `--storage`, or without a kubeconfig, records are read without one.
   */
  protected async restoreStorage(flags: StorageFlagValues): Promise<ResolvedLocation & { restores: RestoreRepository }> {
    let client: KubeClient | undefined;
    if (flags.storage === undefined) {
      try {
        client = (await this.connect()).client;
      } catch (err) {
        if (!(err instanceof BadInputError) || flags['storage-location'] !== undefined) throw err;
        this.logger.log('debug', 'no cluster: using the embedded default location', { reason: err.message });
      }
    }
    const location = await resolveLocation({ storageUrl: flags.storage, storageLocation: flags['storage-location'] }, { client, namespace: this.toolNamespace, logger: this.logger });
    return { ...location, restores: new RestoreRepository(location.store, { locationLabel: location.label }) };
  }
}
