import { errorMessage } from '../errors.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { ResultGroup } from '../storage/results-file.js';
import { readBackupResults } from './backup-artifacts.js';
import { entryExpiration, entryStarted, type BackupEntry } from './backup-entry.js';

/** What `describe` shows of a backup (backup.md, Records and results), as data. */
export interface BackupDescription {
  readonly name: string;
  /** Where it was read: its record in storage, or (no record yet) its `Backup` object. */
  readonly source: 'storage' | 'cluster';
  readonly phase: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** The filters and settings it was taken with. */
  readonly spec: Readonly<Record<string, unknown>>;
  readonly startTimestamp?: string;
  readonly completionTimestamp?: string;
  readonly durationSeconds?: number;
  /** null: never expires. */
  readonly expiration?: string | null;
  readonly cluster?: { readonly server: string; readonly version: string };
  readonly formatVersion?: string;
  readonly progress: { readonly totalItems: number; readonly itemsBackedUp: number };
  /** Items per resource (`deployments.apps`, `secrets`). */
  readonly itemsByResource: Readonly<Record<string, number>>;
  /** How many Secrets the archive holds: never their names or data (quality.md, Security). */
  readonly secrets: number;
  readonly warnings: { readonly count: number; readonly messages?: ResultGroup };
  readonly errors: { readonly count: number; readonly messages?: ResultGroup };
  /** Why the messages are missing: the results artifact could not be read or failed its check. */
  readonly resultsProblem?: string;
  readonly failureReason?: string;
  readonly artifacts: readonly { readonly key: string; readonly size: number; readonly sha256: string }[];
}

/**
 * Builds the description of a backup. The warnings and errors come from the results artifact,
 * checked against the record; when it cannot be trusted the description says why (and the
 * caller exits non-zero) rather than showing nothing at all.
 */
export async function describeBackup(store: ObjectStore, entry: BackupEntry): Promise<BackupDescription> {
  if (entry.source === 'cluster') {
    const { object } = entry;
    const started = entryStarted(entry);
    const expiration = entryExpiration(entry);
    return {
      name: entry.name,
      source: 'cluster',
      phase: entry.phase,
      labels: object.labels,
      annotations: object.annotations,
      spec: object.spec,
      ...(started !== undefined ? { startTimestamp: started } : {}),
      ...(object.status.completionTimestamp !== undefined ? { completionTimestamp: object.status.completionTimestamp } : {}),
      ...duration(started, object.status.completionTimestamp),
      ...(expiration !== undefined ? { expiration } : {}),
      progress: { totalItems: object.status.totalItems ?? 0, itemsBackedUp: object.status.itemsBackedUp ?? 0 },
      itemsByResource: {},
      secrets: 0,
      warnings: { count: object.status.warnings ?? 0 },
      errors: { count: object.status.errors ?? 0 },
      ...(entry.failureReason ?? object.status.failureReason ? { failureReason: entry.failureReason ?? object.status.failureReason } : {}),
      artifacts: [],
    };
  }
  const { record } = entry;
  const { status } = record;
  let results: Awaited<ReturnType<typeof readBackupResults>>;
  let resultsProblem: string | undefined;
  try {
    results = await readBackupResults(store, record);
    if (!results && status.phase !== 'Failed') resultsProblem = 'the record lists no results artifact';
  } catch (err) {
    resultsProblem = errorMessage(err);
  }
  return {
    name: record.metadata.name,
    source: 'storage',
    phase: status.phase,
    labels: record.metadata.labels,
    annotations: record.metadata.annotations,
    spec: record.spec as unknown as Record<string, unknown>,
    startTimestamp: status.startTimestamp,
    completionTimestamp: status.completionTimestamp,
    ...duration(status.startTimestamp, status.completionTimestamp),
    expiration: status.expiration,
    cluster: status.cluster,
    formatVersion: status.formatVersion,
    progress: status.progress,
    itemsByResource: status.itemsByResource,
    secrets: status.itemsByResource.secrets ?? 0,
    warnings: { count: status.warnings, ...(results ? { messages: results.warnings } : {}) },
    errors: { count: status.errors, ...(results ? { messages: results.errors } : {}) },
    ...(resultsProblem !== undefined ? { resultsProblem } : {}),
    ...(status.failureReason !== undefined ? { failureReason: status.failureReason } : {}),
    artifacts: status.artifacts,
  };
}

function duration(start: string | undefined, end: string | undefined): { durationSeconds?: number } {
  if (start === undefined || end === undefined) return {};
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? { durationSeconds: ms / 1000 } : {};
}
