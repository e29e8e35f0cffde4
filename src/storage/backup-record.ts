import { backupKeys } from './layout.js';
import { parseCluster, parseEnvelope, parseFilters, parseOutcome, RECORD_API_VERSION, type ClusterInfo, type RecordFilters, type RecordMetadata, type RecordOutcome } from './record-envelope.js';
import { RecordFields } from './record-fields.js';

export const BACKUP_PHASES = ['Completed', 'PartiallyFailed', 'Failed'] as const;
export type BackupPhase = (typeof BACKUP_PHASES)[number];

/** What was asked for: the filters and settings of `backup create` (cli.md), Velero's names. */
export interface BackupSpec extends RecordFilters {
  /** Resource to its items in order, as --ordered-resources gives them ("ns/a,ns/b"). */
  readonly orderedResources: Readonly<Record<string, string>>;
  /** As given, e.g. "720h"; "0" never expires. */
  readonly ttl: string;
  /** The location's name, or its URL for --storage. */
  readonly storageLocation: string;
  readonly clientPageSize: number;
}

export interface BackupStatus extends RecordOutcome {
  readonly phase: BackupPhase;
  readonly formatVersion: string;
  readonly startTimestamp: string;
  readonly completionTimestamp: string;
  /** null: never expires. */
  readonly expiration: string | null;
  readonly cluster: ClusterInfo;
  readonly progress: { readonly totalItems: number; readonly itemsBackedUp: number };
  /** Items backed up per resource ("deployments.apps", "secrets"). */
  readonly itemsByResource: Readonly<Record<string, number>>;
}

/** The record of a finished backup: written once, last; the backup exists when it does. */
export interface BackupRecord {
  readonly apiVersion: typeof RECORD_API_VERSION;
  readonly kind: 'Backup';
  readonly metadata: RecordMetadata;
  readonly spec: BackupSpec;
  readonly status: BackupStatus;
}

/**
 * Validates a backup record read from storage.
 * @param key where it was read, for messages
 * @param expectedName the name its key says; the record must agree
 */
export function parseBackupRecord(json: unknown, key: string, expectedName?: string): BackupRecord {
  const fields = new RecordFields(key);
  const { root, metadata } = parseEnvelope(fields, json, 'Backup', expectedName);
  const spec = fields.object(root.spec, 'spec');
  const status = fields.object(root.status, 'status');
  const progress = fields.object(status.progress, 'status.progress');
  return {
    apiVersion: RECORD_API_VERSION,
    kind: 'Backup',
    metadata,
    spec: {
      ...parseFilters(fields, spec),
      orderedResources: fields.stringMap(spec.orderedResources, 'spec.orderedResources'),
      ttl: fields.string(spec.ttl, 'spec.ttl'),
      storageLocation: fields.string(spec.storageLocation, 'spec.storageLocation'),
      clientPageSize: fields.count(spec.clientPageSize, 'spec.clientPageSize'),
    },
    status: {
      phase: fields.oneOf(status.phase, 'status.phase', BACKUP_PHASES),
      formatVersion: fields.nonEmptyString(status.formatVersion, 'status.formatVersion'),
      startTimestamp: fields.timestamp(status.startTimestamp, 'status.startTimestamp'),
      completionTimestamp: fields.timestamp(status.completionTimestamp, 'status.completionTimestamp'),
      expiration: fields.nullableTimestamp(status.expiration, 'status.expiration'),
      cluster: parseCluster(fields, status.cluster, 'status.cluster'),
      progress: {
        totalItems: fields.count(progress.totalItems, 'status.progress.totalItems'),
        itemsBackedUp: fields.count(progress.itemsBackedUp, 'status.progress.itemsBackedUp'),
      },
      itemsByResource: fields.countMap(status.itemsByResource, 'status.itemsByResource'),
      ...parseOutcome(fields, status, backupKeys(metadata.name)),
    },
  };
}

export function backupExpiry(record: BackupRecord): Date | undefined {
  return record.status.expiration === null ? undefined : new Date(record.status.expiration);
}

export function isBackupExpired(record: BackupRecord, now: Date): boolean {
  const expiry = backupExpiry(record);
  return expiry !== undefined && expiry.getTime() <= now.getTime();
}
