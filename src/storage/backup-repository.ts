import { isBackupExpired, parseBackupRecord, type BackupRecord } from './backup-record.js';
import type { ObjectStore } from './object-store.js';
import { RecordRepository, type RecordRepositoryOptions } from './record-repository.js';

/** The backups of one storage location: what `get`, `describe`, `delete` and `gc` work on. */
export class BackupRepository extends RecordRepository<BackupRecord> {
  constructor(store: ObjectStore, options: RecordRepositoryOptions = {}) {
    super(store, 'backup', parseBackupRecord, options);
  }

  /** Backups whose expiry has passed, for gc. */
  async expired(now: Date = new Date()): Promise<BackupRecord[]> {
    const { records } = await this.list();
    return records.filter((record) => isBackupExpired(record, now));
  }
}
