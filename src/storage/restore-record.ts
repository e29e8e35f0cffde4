import { nameProblem, restoreKeys } from './layout.js';
import { parseCluster, parseEnvelope, parseFilters, parseOutcome, RECORD_API_VERSION, type ClusterInfo, type RecordFilters, type RecordMetadata, type RecordOutcome } from './record-envelope.js';
import { RecordFields } from './record-fields.js';

export const RESTORE_PHASES = ['Completed', 'PartiallyFailed', 'Failed'] as const;
export type RestorePhase = (typeof RESTORE_PHASES)[number];

export const EXISTING_RESOURCE_POLICIES = ['none', 'update'] as const;
export type ExistingResourcePolicy = (typeof EXISTING_RESOURCE_POLICIES)[number];

/** What was asked for: the flags of `restore create` (cli.md), Velero's names. */
export interface RestoreSpec extends RecordFilters {
  readonly backupName: string;
  /** Set when the backup was chosen with --from-schedule. */
  readonly scheduleName: string | null;
  /**
   * The restore's own --ordered-resources (resource → comma-separated items), as a backup
   * record keeps them; the backup's order holds for the resources it does not name.
   */
  readonly orderedResources: Readonly<Record<string, string>>;
  /** Source namespace to target namespace. */
  readonly namespaceMapping: Readonly<Record<string, string>>;
  readonly existingResourcePolicy: ExistingResourcePolicy;
  readonly preserveNodePorts: boolean;
  readonly includeOwnedResources: boolean;
}

export interface RestoreCounts {
  readonly created: number;
  readonly updated: number;
  readonly skipped: number;
  readonly failed: number;
}

export interface RestoreStatus extends RecordOutcome {
  readonly phase: RestorePhase;
  readonly startTimestamp: string;
  readonly completionTimestamp: string;
  readonly cluster: ClusterInfo;
  readonly counts: RestoreCounts;
  /** Per resource ("deployments.apps", "secrets"). */
  readonly countsByResource: Readonly<Record<string, RestoreCounts>>;
}

export interface RestoreRecord {
  readonly apiVersion: typeof RECORD_API_VERSION;
  readonly kind: 'Restore';
  readonly metadata: RecordMetadata;
  readonly spec: RestoreSpec;
  readonly status: RestoreStatus;
}

/** Validates a restore record read from storage (see parseBackupRecord). */
export function parseRestoreRecord(json: unknown, key: string, expectedName?: string): RestoreRecord {
  const fields = new RecordFields(key);
  const { root, metadata } = parseEnvelope(fields, json, 'Restore', expectedName);
  const spec = fields.object(root.spec, 'spec');
  const status = fields.object(root.status, 'status');
  const backupName = fields.nonEmptyString(spec.backupName, 'spec.backupName');
  const problem = nameProblem(backupName);
  if (problem) fields.fail('spec.backupName', `is not a valid backup name: ${problem}`);
  const countsByResource = fields.object(status.countsByResource ?? {}, 'status.countsByResource');
  return {
    apiVersion: RECORD_API_VERSION,
    kind: 'Restore',
    metadata,
    spec: {
      backupName,
      scheduleName: fields.nullableString(spec.scheduleName, 'spec.scheduleName'),
      ...parseFilters(fields, spec),
      orderedResources: fields.stringMap(spec.orderedResources, 'spec.orderedResources'),
      namespaceMapping: fields.stringMap(spec.namespaceMapping, 'spec.namespaceMapping'),
      existingResourcePolicy: fields.oneOf(spec.existingResourcePolicy ?? 'none', 'spec.existingResourcePolicy', EXISTING_RESOURCE_POLICIES),
      preserveNodePorts: fields.boolean(spec.preserveNodePorts, 'spec.preserveNodePorts', false),
      includeOwnedResources: fields.boolean(spec.includeOwnedResources, 'spec.includeOwnedResources', false),
    },
    status: {
      phase: fields.oneOf(status.phase, 'status.phase', RESTORE_PHASES),
      startTimestamp: fields.timestamp(status.startTimestamp, 'status.startTimestamp'),
      completionTimestamp: fields.timestamp(status.completionTimestamp, 'status.completionTimestamp'),
      cluster: parseCluster(fields, status.cluster, 'status.cluster'),
      counts: parseCounts(fields, status.counts, 'status.counts'),
      countsByResource: Object.fromEntries(
        Object.entries(countsByResource).map(([resource, counts]) => [resource, parseCounts(fields, counts, `status.countsByResource[${JSON.stringify(resource)}]`)]),
      ),
      ...parseOutcome(fields, status, restoreKeys(metadata.name)),
    },
  };
}

function parseCounts(fields: RecordFields, value: unknown, field: string): RestoreCounts {
  const counts = fields.object(value, field);
  return {
    created: fields.count(counts.created, `${field}.created`),
    updated: fields.count(counts.updated, `${field}.updated`),
    skipped: fields.count(counts.skipped, `${field}.skipped`),
    failed: fields.count(counts.failed, `${field}.failed`),
  };
}
