import { Readable } from 'node:stream';
import { ARCHIVE_FORMAT_VERSION, type BackupRecord } from '../../src/storage/backup-record.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore, Retention } from '../../src/storage/object-store.js';
import { RECORD_API_VERSION } from '../../src/storage/record-envelope.js';

export interface RecordOptions {
  labels?: Record<string, string>;
  start?: Date;
  /** null: never expires. */
  expiration?: Date | null;
  retention?: Retention;
}

/**
 * A finished backup in storage: one artifact and its record, written the way the engine does
 * (artifacts first, record last), with the retention an object-lock location would give.
 */
export async function storeBackupRecord(store: ObjectStore, name: string, options: RecordOptions = {}): Promise<BackupRecord> {
  const keys = backupKeys(name);
  const put = options.retention ? { retention: options.retention } : {};
  const log = await store.put(keys.logs, Readable.from([Buffer.from(`log of ${name}\n`)]), put);
  const start = (options.start ?? new Date()).toISOString();
  const record: BackupRecord = {
    apiVersion: RECORD_API_VERSION,
    kind: 'Backup',
    metadata: { name, labels: options.labels ?? {}, annotations: {} },
    spec: {
      includedNamespaces: ['*'],
      excludedNamespaces: [],
      includedResources: ['*'],
      excludedResources: [],
      includeClusterResources: null,
      labelSelector: null,
      orLabelSelectors: [],
      orderedResources: {},
      ttl: '720h',
      storageLocation: 'primary',
      clientPageSize: 500,
    },
    status: {
      phase: 'Completed',
      formatVersion: ARCHIVE_FORMAT_VERSION,
      startTimestamp: start,
      completionTimestamp: start,
      expiration: options.expiration === undefined ? null : options.expiration === null ? null : options.expiration.toISOString(),
      cluster: { server: 'https://source.example', version: 'v1.32.0' },
      progress: { totalItems: 1, itemsBackedUp: 1 },
      itemsByResource: { configmaps: 1 },
      warnings: 0,
      errors: 0,
      artifacts: [log],
    },
  };
  await new BackupRepository(store).commit(record, options.retention);
  return record;
}

/** Artifacts of a backup that died before its record: what gc removes once a day old. */
export async function storeUnfinishedBackup(store: ObjectStore, name: string): Promise<void> {
  await store.put(backupKeys(name).archive, Readable.from([Buffer.from('partial archive')]));
}
