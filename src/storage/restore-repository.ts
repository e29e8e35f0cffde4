import type { ObjectStore } from './object-store.js';
import { RecordRepository, type RecordRepositoryOptions } from './record-repository.js';
import { parseRestoreRecord, type RestoreRecord } from './restore-record.js';

/**
 * The restores recorded in one storage location. Velero keeps no record of a restore in the
 * bucket, so its restore directories look unfinished here: orphans() of restores is for
 * locations that only kubectl-backup writes.
 */
export class RestoreRepository extends RecordRepository<RestoreRecord> {
  constructor(store: ObjectStore, options: RecordRepositoryOptions = {}) {
    super(store, 'restore', parseRestoreRecord, options);
  }

  /** Restores made from a backup: deleting the backup deletes their records too (backup.md). */
  async fromBackup(backupName: string): Promise<RestoreRecord[]> {
    const { records } = await this.list();
    return records.filter((record) => record.spec.backupName === backupName);
  }
}
