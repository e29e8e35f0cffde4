import { Flags } from '@oclif/core';
import { BackupCatalog } from '../backup-records/backup-catalog.js';
import { BackupObjects } from '../cluster-records/backup-objects.js';
import { errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { resolveLocation, type ResolvedLocation } from '../location/resolve.js';
import { BackupRepository } from '../storage/backup-repository.js';
import { RestoreRepository } from '../storage/restore-repository.js';
import { BaseCommand } from './base-command.js';

/** `--storage` / `--storage-location` of the commands that read and delete backups. */
export const backupStorageFlags = {
  'storage-location': Flags.string({ description: 'name of a BackupStorageLocation in the tool namespace (default: the location marked default)', helpGroup: 'STORAGE' }),
  storage: Flags.string({
    description: 'a storage URL instead of a named location: file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]',
    helpGroup: 'STORAGE',
  }),
};

export interface BackupStorageFlagValues {
  'storage-location'?: string;
  storage?: string;
  kubeconfig?: string;
  context?: string;
}

/** Everything a backup read or delete command works with, for one storage location. */
export interface BackupsContext {
  readonly location: ResolvedLocation;
  readonly backups: BackupRepository;
  readonly restores: RestoreRepository;
  readonly catalog: BackupCatalog;
  /** Undefined only with `--storage URL` and no cluster configured. */
  readonly client?: KubeClient;
  readonly objects?: BackupObjects;
}

/** get, describe, logs, download, verify and delete: one location, resolved as storage.md says. */
export abstract class BackupRecordsCommand extends BaseCommand {
  protected async openBackups(flags: BackupStorageFlagValues): Promise<BackupsContext> {
    const client = await this.clusterFor(flags);
    const namespace = this.toolNamespace;
    const location = await resolveLocation(
      { ...(flags.storage !== undefined ? { storageUrl: flags.storage } : {}), ...(flags['storage-location'] !== undefined ? { storageLocation: flags['storage-location'] } : {}) },
      { ...(client ? { client } : {}), namespace, logger: this.logger },
    );
    if (location.source === 'embedded') this.logger.log('debug', 'no storage location given: using the default location', { url: location.url });
    const repoOptions = { locationLabel: location.label };
    const backups = new BackupRepository(location.store, repoOptions);
    const objects = client ? new BackupObjects(client, namespace) : undefined;
    const catalog = new BackupCatalog(backups, { ...(objects ? { objects } : {}), locationReference: location.reference, locationLabel: location.label, logger: this.logger });
    return { location, backups, restores: new RestoreRepository(location.store, repoOptions), catalog, ...(client ? { client } : {}), ...(objects ? { objects } : {}) };
  }

  /**
   * The cluster, which names locations and holds the `Backup` objects of running backups.
   * With `--storage URL` it is optional: without a kubeconfig, storage alone answers.
   */
  private async clusterFor(flags: BackupStorageFlagValues): Promise<KubeClient | undefined> {
    const optional = flags.storage !== undefined && flags.kubeconfig === undefined && flags.context === undefined;
    try {
      return (await this.connect()).client;
    } catch (err) {
      if (!optional) throw err;
      this.logger.log('debug', 'no cluster: storage alone answers', { reason: errorMessage(err) });
      return undefined;
    }
  }
}
