import { BaseCommand } from '../../base-command.js';
import { RestoreRepository } from '../../../storage/restore-repository.js';
import { resolveStorage, type StorageFlagValues, type StorageTarget } from './storage-target.js';

/** Restore commands that read or delete records in storage. */
export abstract class RestoreStorageCommand extends BaseCommand {
  protected async restoreStorage(flags: StorageFlagValues): Promise<StorageTarget & { restores: RestoreRepository }> {
    const target = await resolveStorage(flags, async () => (await this.connect()).client, this.toolNamespace, this.logger);
    return { ...target, restores: new RestoreRepository(target.store, { locationLabel: target.label }) };
  }
}
