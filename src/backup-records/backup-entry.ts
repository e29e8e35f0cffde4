import { groupVersion } from '../install/api-group.js';
import type { BackupObjectView } from '../cluster-records/backup-object.js';
import type { BackupRecord } from '../storage/backup-record.js';

/**
 * One backup as `get` and `describe` show it: from its record in storage (the truth), or,
 * while it runs and has no record yet, from its `Backup` object in the cluster.
 */
export type BackupEntry = StoredBackup | LiveBackup;

export interface StoredBackup {
  readonly source: 'storage';
  readonly name: string;
  readonly record: BackupRecord;
}

export interface LiveBackup {
  readonly source: 'cluster';
  readonly name: string;
  readonly object: BackupObjectView;
  /** The phase shown: `Failed` for a run that stopped reporting (see staleness in the catalog). */
  readonly phase: string;
  /** Why a run shown Failed failed, when the object does not say. */
  readonly failureReason?: string;
}

export function entryLabels(entry: BackupEntry): Readonly<Record<string, string>> {
  return entry.source === 'storage' ? entry.record.metadata.labels : entry.object.labels;
}

export function entryPhase(entry: BackupEntry): string {
  return entry.source === 'storage' ? entry.record.status.phase : entry.phase;
}

/** When the backup started (or its object was made); undefined when nothing says. */
export function entryStarted(entry: BackupEntry): string | undefined {
  return entry.source === 'storage' ? entry.record.status.startTimestamp : (entry.object.status.startTimestamp ?? entry.object.creationTimestamp);
}

/** null: never expires; undefined: not known yet. */
export function entryExpiration(entry: BackupEntry): string | null | undefined {
  if (entry.source === 'storage') return entry.record.status.expiration;
  if (entry.object.status.expiration !== undefined) return entry.object.status.expiration;
  return entry.object.spec.ttl === '0' || entry.object.spec.ttl === '0s' ? null : undefined;
}

export function entryCounts(entry: BackupEntry): { warnings: number; errors: number } {
  if (entry.source === 'storage') return { warnings: entry.record.status.warnings, errors: entry.record.status.errors };
  return { warnings: entry.object.status.warnings ?? 0, errors: entry.object.status.errors ?? 0 };
}

export function entryStorageLocation(entry: BackupEntry): string {
  return entry.source === 'storage' ? entry.record.spec.storageLocation : (entry.object.storageLocation ?? '');
}

/** The label selection a backup was taken with, as Velero prints it: `<none>` when there was none. */
export function entrySelector(entry: BackupEntry): string {
  const spec = entry.source === 'storage' ? entry.record.spec : entry.object.spec;
  const or = Array.isArray(spec.orLabelSelectors) ? spec.orLabelSelectors.filter((s): s is string => typeof s === 'string') : [];
  if (or.length > 0) return or.join(' or ');
  return typeof spec.labelSelector === 'string' && spec.labelSelector !== '' ? spec.labelSelector : '<none>';
}

/** What `-o json|yaml` prints: the record as stored, or the object as the cluster holds it. */
export function entryDocument(entry: BackupEntry): object {
  if (entry.source === 'storage') return entry.record;
  const { object } = entry;
  const { totalItems, itemsBackedUp, ...status } = object.status;
  return {
    apiVersion: groupVersion,
    kind: 'Backup',
    metadata: { name: object.name, labels: object.labels, annotations: object.annotations },
    spec: object.spec,
    status: {
      ...status,
      phase: entry.phase,
      progress: { totalItems: totalItems ?? 0, itemsBackedUp: itemsBackedUp ?? 0 },
      ...(entry.failureReason ? { failureReason: entry.failureReason } : {}),
    },
  };
}
