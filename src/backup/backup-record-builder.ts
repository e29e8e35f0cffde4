import { formatVersion } from '../archive/archive-paths.js';
import { formatGoDuration } from '../cli/go-duration.js';
import { templateFilters } from '../schedule/template-filters.js';
import type { BackupPhase, BackupRecord, BackupSpec } from '../storage/backup-record.js';
import type { StoredObject } from '../storage/object-store.js';
import { RECORD_API_VERSION, type ClusterInfo } from '../storage/record-envelope.js';
import type { BackupRequest } from './backup-request.js';

export interface RecordInputs {
  request: BackupRequest;
  storageLocation: string;
  phase: BackupPhase;
  started: Date;
  completed: Date;
  expiration: Date | null;
  cluster: ClusterInfo;
  totalItems: number;
  itemsByResource: Record<string, number>;
  warnings: number;
  errors: number;
  artifacts: StoredObject[];
}

/** The record of a finished backup, in the storage layer's shape (Velero's field names). */
export function buildBackupRecord(input: RecordInputs): BackupRecord {
  const { request } = input;
  return {
    apiVersion: RECORD_API_VERSION,
    kind: 'Backup',
    metadata: { name: request.name, labels: { ...request.labels }, annotations: { ...request.annotations } },
    spec: buildBackupSpec(request, input.storageLocation),
    status: {
      phase: input.phase,
      // The version the archive writer puts in metadata/version.
      formatVersion,
      startTimestamp: input.started.toISOString(),
      completionTimestamp: input.completed.toISOString(),
      expiration: input.expiration?.toISOString() ?? null,
      cluster: input.cluster,
      progress: { totalItems: input.totalItems, itemsBackedUp: input.totalItems },
      itemsByResource: { ...input.itemsByResource },
      warnings: input.warnings,
      errors: input.errors,
      artifacts: input.artifacts,
    },
  };
}

/** The record's spec, known from the start: the `Backup` object is created with it while the backup runs. */
export function buildBackupSpec(request: BackupRequest, storageLocation: string): BackupSpec {
  return {
    ...templateFilters(request.filters),
    ttl: formatGoDuration(request.ttlMs),
    storageLocation,
    clientPageSize: request.pageSize,
  };
}
