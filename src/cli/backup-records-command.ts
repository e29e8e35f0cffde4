import { BackupCatalog } from '../backup-records/backup-catalog.js';
import type { BackupObjects } from '../cluster-records/backup-objects.js';
import type { KubeClient } from '../kube/client.js';
import type { ResolvedLocation } from '../location/resolve.js';
import type { BackupRepository } from '../storage/backup-repository.js';
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
    const catalog = BackupCatalog.forLocation(location, { client, namespace: this.toolNamespace, logger: this.logger });
    const objects = catalog.objects;
    const restores = new RestoreRepository(location.store, { locationLabel: location.label });
    return { location, backups: catalog.repository, restores, catalog, ...(client ? { client } : {}), ...(objects ? { objects } : {}) };
  }
}
