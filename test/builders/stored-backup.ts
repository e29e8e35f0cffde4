import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { formatVersion } from '../../src/archive/archive-paths.js';
import { defaultTtlMs } from '../../src/backup/backup-request.js';
import { type BackupPhase, type BackupRecord, type BackupSpec } from '../../src/storage/backup-record.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import type { ObjectStore, Retention, StoredObject } from '../../src/storage/object-store.js';
import { RECORD_API_VERSION, type ClusterInfo, type RecordFilters } from '../../src/storage/record-envelope.js';
import type { RestoreRecord } from '../../src/storage/restore-record.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { backupArchive } from './restore-archive.js';

export interface ResultGroupInput {
  cluster?: string[];
  namespaces?: Record<string, string[]>;
}

export interface StoredBackupOptions {
  labels?: Record<string, string>;
  phase?: BackupPhase;
  start?: Date;
  /** null: never expires; default start + 720h. */
  expiration?: Date | null;
  spec?: Partial<BackupSpec>;
  /** Items by `apiVersion/Kind`, as the resource list keeps them: `ns/name` or `name`. */
  items?: Record<string, string[]>;
  warnings?: ResultGroupInput;
  errors?: ResultGroupInput;
  retention?: Retention;
  /** Leave these artifacts out of the record (and out of storage). */
  without?: ('archive' | 'resourceList' | 'results' | 'logs')[];
  /** The archive to store instead of one made of `items` (which then default to none). */
  archive?: Buffer;
}

const resources: Record<string, string> = {
  'v1/Namespace': 'namespaces',
  'v1/ConfigMap': 'configmaps',
  'v1/Secret': 'secrets',
  'apps/v1/Deployment': 'deployments.apps',
};

/** The archive directory and count key of a resource list type (`apps/v1/Deployment`). */
function resourceOf(type: string): string {
  return resources[type] ?? type.split('/').pop()!.toLowerCase();
}

/** The filters of a run that takes everything, as both kinds of record keep them. */
const everything: RecordFilters = {
  includedNamespaces: ['*'],
  excludedNamespaces: [],
  includedResources: ['*'],
  excludedResources: [],
  includeClusterResources: null,
  labelSelector: null,
  orLabelSelectors: [],
};

const cluster: ClusterInfo = { server: 'https://cluster.example:6443', version: 'v1.32.0' };

function count(group: ResultGroupInput | undefined): number {
  return (group?.cluster?.length ?? 0) + Object.values(group?.namespaces ?? {}).reduce((n, list) => n + list.length, 0);
}

/** The archive of `items` (by resource list type, `ns/name` or `name`), each item a small object with its name. */
function archiveOf(items: Record<string, string[]>): Promise<Buffer> {
  return backupArchive(
    Object.entries(items).flatMap(([type, names]) =>
      names.map((item) => {
        const [namespace, name] = item.includes('/') ? item.split('/') : [undefined, item];
        return { resource: resourceOf(type), object: { metadata: { name, ...(namespace ? { namespace } : {}) } } };
      }),
    ),
  );
}

/**
 * A finished backup written through the storage layer in the exact format the engine writes:
 * archive, resource list, results and log first, the record last and once, with the
 * retention an object-lock location would give every object.
 */
export async function storeBackup(store: ObjectStore, name: string, options: StoredBackupOptions = {}): Promise<BackupRecord> {
  const keys = backupKeys(name);
  const put = (key: string, body: Buffer): Promise<StoredObject> => store.put(key, Readable.from([body]), options.retention ? { retention: options.retention } : {});
  const items = options.items ?? (options.archive ? {} : { 'v1/Namespace': ['shop'], 'v1/ConfigMap': ['shop/settings', 'shop/features'], 'v1/Secret': ['shop/db-password'] });
  const without = new Set(options.without ?? []);
  const warnings = { cluster: options.warnings?.cluster ?? [], namespaces: options.warnings?.namespaces ?? {} };
  const errors = { cluster: options.errors?.cluster ?? [], namespaces: options.errors?.namespaces ?? {} };
  const log = `${JSON.stringify({ level: 'info', msg: 'backup starting', backup: name })}\n`;
  const artifacts: StoredObject[] = [];
  if (!without.has('archive')) artifacts.push(await put(keys.archive, options.archive ?? (await archiveOf(items))));
  if (!without.has('resourceList')) artifacts.push(await put(keys.resourceList, gzipSync(JSON.stringify(items))));
  if (!without.has('results')) artifacts.push(await put(keys.results, gzipSync(JSON.stringify({ warnings, errors }))));
  if (!without.has('logs')) artifacts.push(await put(keys.logs, gzipSync(log)));

  const start = options.start ?? new Date();
  const expiration = options.expiration === undefined ? new Date(start.getTime() + defaultTtlMs) : options.expiration;
  const itemsByResource: Record<string, number> = {};
  for (const [type, names] of Object.entries(items)) {
    const resource = resourceOf(type);
    itemsByResource[resource] = (itemsByResource[resource] ?? 0) + names.length;
  }
  const total = Object.values(items).reduce((n, list) => n + list.length, 0);
  const record: BackupRecord = {
    apiVersion: RECORD_API_VERSION,
    kind: 'Backup',
    metadata: { name, labels: options.labels ?? {}, annotations: {} },
    spec: {
      ...everything,
      orderedResources: {},
      ttl: '720h0m0s',
      storageLocation: 'default',
      clientPageSize: 500,
      ...options.spec,
    },
    status: {
      phase: options.phase ?? (count(errors) > 0 ? 'PartiallyFailed' : 'Completed'),
      formatVersion: formatVersion,
      startTimestamp: start.toISOString(),
      completionTimestamp: new Date(start.getTime() + 1500).toISOString(),
      expiration: expiration === null ? null : expiration.toISOString(),
      cluster,
      progress: { totalItems: total, itemsBackedUp: total },
      itemsByResource,
      warnings: count(warnings),
      errors: count(errors),
      artifacts,
    },
  };
  await new BackupRepository(store).commit(record, options.retention);
  return record;
}

/** Artifacts of a backup that died before its record: what gc removes once a day old. */
export async function storeUnfinishedBackup(store: ObjectStore, name: string): Promise<void> {
  await store.put(backupKeys(name).archive, Readable.from([Buffer.from('partial archive')]));
}

/** A restore's record and its log, made from `backupName`: a record as restores wrote them before they kept a resource list. */
export async function storeRestore(store: ObjectStore, name: string, backupName: string): Promise<RestoreRecord> {
  const keys = restoreKeys(name);
  const log = await store.put(keys.logs, Readable.from([gzipSync('{"msg":"restore"}\n')]));
  const now = new Date().toISOString();
  const record: RestoreRecord = {
    apiVersion: RECORD_API_VERSION,
    kind: 'Restore',
    metadata: { name, labels: {}, annotations: {} },
    spec: {
      backupName,
      scheduleName: null,
      ...everything,
      orderedResources: {},
      namespaceMapping: {},
      existingResourcePolicy: 'none',
      preserveNodePorts: false,
      includeOwnedResources: false,
    },
    status: {
      phase: 'Completed',
      startTimestamp: now,
      completionTimestamp: now,
      cluster,
      counts: { created: 1, updated: 0, skipped: 0, failed: 0 },
      countsByResource: {},
      warnings: 0,
      errors: 0,
      artifacts: [log],
    },
  };
  await new RestoreRepository(store).commit(record);
  return record;
}
