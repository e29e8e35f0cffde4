import { groupVersion, ownResources } from '../install/api-group.js';
import { isRecord, type KubeObject, type OwnerReference } from '../kube/types.js';

/**
 * The `Backup` custom resource (kubectl-backup.io/v1) as kubectl-backup writes it: a mirror of
 * a backup in the cluster that shows its progress while it runs. Storage holds the record that
 * counts; anyone who may edit objects in the tool namespace may edit this one, so what is read
 * back is checked field by field and never trusted beyond display.
 */
export const backupKind = ownResources.backups.kind;

/** Phases a `Backup` object can show: the record's, and the two of a backup still running. */
export type BackupObjectPhase = 'New' | 'InProgress' | 'Completed' | 'PartiallyFailed' | 'Failed';

const phases: readonly string[] = ['New', 'InProgress', 'Completed', 'PartiallyFailed', 'Failed'];

export interface BackupObjectStatus {
  readonly phase: BackupObjectPhase;
  readonly startTimestamp?: string;
  readonly completionTimestamp?: string;
  /** null: never expires. */
  readonly expiration?: string | null;
  readonly totalItems?: number;
  readonly itemsBackedUp?: number;
  readonly warnings?: number;
  readonly errors?: number;
  readonly failureReason?: string;
  /** When the process taking the backup last wrote the status: a heartbeat while it runs. */
  readonly lastUpdateTimestamp?: string;
}

/** What a command reads of a `Backup` object. */
export interface BackupObjectView {
  readonly name: string;
  readonly uid?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly creationTimestamp?: string;
  readonly ownerReferences: readonly OwnerReference[];
  /** The spec as written (the record's spec while the backup runs). */
  readonly spec: Readonly<Record<string, unknown>>;
  /** The location's name or URL the backup writes to, when the object says. */
  readonly storageLocation?: string;
  readonly status: BackupObjectStatus;
}

/** What the object is created with: the same metadata and spec as the record will have. */
export interface BackupObjectIdentity {
  readonly name: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
  /** The backup's spec, as the record keeps it (BackupSpec). */
  readonly spec: object;
  /** Schedules with --use-owner-references-in-backup: the CronJob owns the object. */
  readonly ownerReferences?: readonly OwnerReference[];
}

export function backupObjectManifest(identity: BackupObjectIdentity, namespace: string): KubeObject {
  return {
    apiVersion: groupVersion,
    kind: backupKind,
    metadata: {
      name: identity.name,
      namespace,
      ...(identity.labels && Object.keys(identity.labels).length > 0 ? { labels: { ...identity.labels } } : {}),
      ...(identity.annotations && Object.keys(identity.annotations).length > 0 ? { annotations: { ...identity.annotations } } : {}),
      ...(identity.ownerReferences && identity.ownerReferences.length > 0 ? { ownerReferences: [...identity.ownerReferences] } : {}),
    },
    spec: identity.spec,
  };
}

export function viewBackupObject(object: KubeObject): BackupObjectView {
  const spec = isRecord(object.spec) ? object.spec : {};
  const status = isRecord(object.status) ? object.status : {};
  const progress = isRecord(status.progress) ? status.progress : {};
  const phase = typeof status.phase === 'string' && phases.includes(status.phase) ? (status.phase as BackupObjectPhase) : 'New';
  const storageLocation = text(spec.storageLocation);
  const expiration = status.expiration === null ? null : time(status.expiration);
  return {
    name: object.metadata.name ?? '',
    ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
    labels: stringMap(object.metadata.labels),
    annotations: stringMap(object.metadata.annotations),
    ...(object.metadata.creationTimestamp ? { creationTimestamp: object.metadata.creationTimestamp } : {}),
    ownerReferences: object.metadata.ownerReferences ?? [],
    spec,
    ...(storageLocation !== undefined ? { storageLocation } : {}),
    status: compact({
      phase,
      startTimestamp: time(status.startTimestamp),
      completionTimestamp: time(status.completionTimestamp),
      expiration,
      totalItems: count(progress.totalItems),
      itemsBackedUp: count(progress.itemsBackedUp),
      warnings: count(status.warnings),
      errors: count(status.errors),
      failureReason: text(status.failureReason),
      lastUpdateTimestamp: time(status.lastUpdateTimestamp),
    }),
  };
}

function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function time(value: unknown): string | undefined {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
