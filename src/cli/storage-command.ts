import * as Flags from '@oclif/core/flags';
import { BadInputError, errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { existingKubeconfigFiles } from '../kube/kubeconfig-files.js';
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
    // Without a cluster, the embedded default is a fall back: a record read or deleted there
    // must not pass for one of the cluster's location.
    if (location.source === 'embedded') {
      if (client) this.logger.log('debug', 'no storage location given: using the default location', { url: location.url });
      else process.stderr.write(`No cluster: using the default storage location ${location.label}\n`);
    }
    return { location, ...(client ? { client } : {}) };
  }

  /**
   * The cluster names locations and holds the objects of running backups, but records can be
   * read without it: with `--storage URL` storage alone answers, and with no kubeconfig at all
   * the embedded default location does. A cluster the flags or KUBECONFIG name must connect;
   * KUBECONFIG files that do not exist are skipped, as kubectl skips them.
   */
  private async optionalCluster(flags: StorageFlagValues): Promise<KubeClient | undefined> {
    const fromEnv = flags.kubeconfig === undefined ? process.env.KUBECONFIG || undefined : undefined;
    const named = flags.kubeconfig !== undefined || flags.context !== undefined || flags['storage-location'] !== undefined;
    if (fromEnv !== undefined && !named && existingKubeconfigFiles(fromEnv).length === 0) {
      this.logger.log('warn', 'kubeconfig not found: KUBECONFIG names no file that exists; going on without a cluster', { KUBECONFIG: fromEnv });
      return undefined;
    }
    try {
      return (await this.connect()).client;
    } catch (err) {
      if (named || fromEnv !== undefined || (flags.storage === undefined && !(err instanceof BadInputError))) throw err;
      this.logger.log('debug', 'no cluster: storage alone answers', { reason: errorMessage(err) });
      return undefined;
    }
  }
}
