import { Flags } from '@oclif/core';
import { BadInputError, errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { resolveLocation, type ResolvedLocation } from '../location/resolve.js';
import { BaseCommand } from './base-command.js';

/** `--storage` / `--storage-location` of the commands that read and delete records in storage. */
export const storageFlags = {
  'storage-location': Flags.string({ description: 'name of a BackupStorageLocation in the tool namespace (default: the location marked default)', helpGroup: 'STORAGE' }),
  storage: Flags.string({
    description: 'a storage URL instead of a named location: file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]',
    helpGroup: 'STORAGE',
  }),
};

export interface StorageFlagValues {
  'storage-location'?: string;
  storage?: string;
  kubeconfig?: string;
  context?: string;
}

/** The location a command reads, and the cluster when there is one. */
export interface StorageAccess {
  location: ResolvedLocation;
  /** Undefined when no cluster is configured and storage alone answers. */
  client?: KubeClient;
}

/** Commands that read or delete backup and restore records: one location, resolved as storage.md says. */
export abstract class StorageCommand extends BaseCommand {
  protected async openStorage(flags: StorageFlagValues): Promise<StorageAccess> {
    const client = await this.optionalCluster(flags);
    const location = await resolveLocation({ storageUrl: flags.storage, storageLocation: flags['storage-location'] }, { client, namespace: this.toolNamespace, logger: this.logger });
    if (location.source === 'embedded') this.logger.log('debug', 'no storage location given: using the default location', { url: location.url });
    return { location, ...(client ? { client } : {}) };
  }

  /**
   * The cluster names locations and holds the objects of running backups, but records can be
   * read without it: with `--storage URL` storage alone answers, and with no kubeconfig at all
   * the embedded default location does. A cluster the flags name must connect.
   */
  private async optionalCluster(flags: StorageFlagValues): Promise<KubeClient | undefined> {
    try {
      return (await this.connect()).client;
    } catch (err) {
      const named = flags.kubeconfig !== undefined || flags.context !== undefined || flags['storage-location'] !== undefined;
      if (named || (flags.storage === undefined && !(err instanceof BadInputError))) throw err;
      this.logger.log('debug', 'no cluster: storage alone answers', { reason: errorMessage(err) });
      return undefined;
    }
  }
}
