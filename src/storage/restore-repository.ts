import type { ObjectStore, Retention, StoredObject } from './object-store.js';
import { RecordRepository, type RecordRepositoryOptions } from './record-repository.js';
import { RecordExistsError } from './repository-errors.js';
import { parseRestoreRecord, writeRestoreRecord, type RestoreRecord } from './restore-record.js';
import { ObjectExistsError } from './storage-errors.js';

/**
 * The restores recorded in one storage location. Velero keeps no record of a restore in the
 * bucket, so its restore directories look unfinished here: orphans() of restores is for
 * locations that only kubectl-backup writes.
 */
export class RestoreRepository extends RecordRepository<RestoreRecord> {
  constructor(store: ObjectStore, options: RecordRepositoryOptions = {}) {
    super(store, 'restore', parseRestoreRecord, options);
  }

  /** Writes the record, last and once. @throws RecordExistsError */
  async commit(record: RestoreRecord, retention?: Retention): Promise<StoredObject> {
    try {
      return await writeRestoreRecord(this.store, record, retention);
    } catch (err) {
      if (err instanceof ObjectExistsError) throw new RecordExistsError('restore', record.metadata.name);
      throw err;
    }
  }

  /** Restores made from a backup: deleting the backup deletes their records too (backup.md). */
  async fromBackup(backupName: string): Promise<RestoreRecord[]> {
    const { records } = await this.list();
    return records.filter((record) => record.spec.backupName === backupName);
  }
}
