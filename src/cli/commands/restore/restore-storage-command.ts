import type { ResolvedLocation } from '../../../location/resolve.js';
import { RestoreRepository } from '../../../storage/restore-repository.js';
import { StorageCommand, type StorageFlagValues } from '../../storage-command.js';

export { storageFlags } from '../../storage-command.js';

/** Restore commands that read or delete records in storage. */
export abstract class RestoreStorageCommand extends StorageCommand {
  protected async restoreStorage(flags: StorageFlagValues): Promise<ResolvedLocation & { restores: RestoreRepository }> {
    const { location } = await this.openStorage(flags);
    return { ...location, restores: new RestoreRepository(location.store, { locationLabel: location.label }) };
  }
}
