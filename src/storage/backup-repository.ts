import { isBackupExpired, parseBackupRecord, writeBackupRecord, type BackupRecord } from './backup-record.js';
import type { ObjectStore, Retention, StoredObject } from './object-store.js';
import { RecordRepository, type RecordRepositoryOptions } from './record-repository.js';
import { RecordExistsError } from './repository-errors.js';
import { ObjectExistsError } from './storage-errors.js';

/** The backups of one storage location: what `get`, `describe`, `delete` and `gc` work on. */
export class BackupRepository extends RecordRepository<BackupRecord> {
  constructor(store: ObjectStore, options: RecordRepositoryOptions = {}) {
    super(store, 'backup', parseBackupRecord, options);
  }

  /**
   * Writes the record: the backup exists from now on. Call it last, once every artifact it
   * lists is stored. @throws RecordExistsError when another run committed the name first
   */
  async commit(record: BackupRecord, retention?: Retention): Promise<StoredObject> {
    try {
      return await writeBackupRecord(this.store, record, retention);
    } catch (err) {
      if (err instanceof ObjectExistsError) throw new RecordExistsError('backup', record.metadata.name);
      throw err;
    }
  }

  /** Backups whose expiry has passed, for gc. */
  async expired(now: Date = new Date()): Promise<BackupRecord[]> {
    const { records } = await this.list();
    return records.filter((record) => isBackupExpired(record, now));
  }
}
