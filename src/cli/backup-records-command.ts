import { BackupCatalog } from '../backup-records/backup-catalog.js';
import { BackupObjects } from '../cluster-records/backup-objects.js';
import type { KubeClient } from '../kube/client.js';
import type { ResolvedLocation } from '../location/resolve.js';
import { BackupRepository } from '../storage/backup-repository.js';
import { RestoreRepository } from '../storage/restore-repository.js';
import { StorageCommand, type StorageFlagValues } from './storage-command.js';

/** Everything a backup read or delete command works with, for one storage location. */
export interface BackupsContext {
  readonly location: ResolvedLocation;
  readonly backups: BackupRepository;
  readonly restores: RestoreRepository;
  readonly catalog: BackupCatalog;
  /** Undefined only when storage alone answers (no cluster configured). */
  readonly client?: KubeClient;
  readonly objects?: BackupObjects;
}

/** get, describe, logs, download, verify and delete. */
export abstract class BackupRecordsCommand extends StorageCommand {
  protected async openBackups(flags: StorageFlagValues): Promise<BackupsContext> {
    const { location, client } = await this.openStorage(flags);
    const repoOptions = { locationLabel: location.label };
    const backups = new BackupRepository(location.store, repoOptions);
    const objects = client ? new BackupObjects(client, this.toolNamespace) : undefined;
    const catalog = new BackupCatalog(backups, { ...(objects ? { objects } : {}), locationReference: location.reference, locationLabel: location.label, logger: this.logger });
    return { location, backups, restores: new RestoreRepository(location.store, repoOptions), catalog, ...(client ? { client } : {}), ...(objects ? { objects } : {}) };
  }
}
