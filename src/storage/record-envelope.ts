import { nameProblem } from './layout.js';
import type { StoredObject } from './object-store.js';
import type { RecordFields } from './record-fields.js';

/**
 * What backup and restore records share. A record is shaped like the Kubernetes object it
 * mirrors (apiVersion, kind, metadata, spec, status), so that `sync` can put it into the
 * cluster as it is and `get -o yaml` shows what users of Velero expect.
 */
export const RECORD_API_VERSION = 'kubectl-backup.io/v1';

export interface RecordMetadata {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** The cluster a backup was taken from, or a restore went into. */
export interface ClusterInfo {
  /** The API server URL, as the kubeconfig names it. */
  readonly server: string;
  /** Its Kubernetes version, as /version says (gitVersion). */
  readonly version: string;
}

/** The resource filters a backup was taken with, or a restore made with: Velero's names. */
export interface RecordFilters {
  readonly includedNamespaces: readonly string[];
  readonly excludedNamespaces: readonly string[];
  readonly includedResources: readonly string[];
  readonly excludedResources: readonly string[];
  /** true, false, or null for "only when all namespaces are included". */
  readonly includeClusterResources: boolean | null;
  readonly labelSelector: string | null;
  readonly orLabelSelectors: readonly string[];
}

/** How a run ended, past its counts: what both kinds of record end their status with. */
export interface RecordOutcome {
  readonly warnings: number;
  readonly errors: number;
  readonly failureReason?: string;
  readonly artifacts: readonly StoredObject[];
}

export function parseEnvelope(fields: RecordFields, json: unknown, kind: string, expectedName: string | undefined): { root: Record<string, unknown>; metadata: RecordMetadata } {
  const root = fields.object(json, 'the record');
  if (root.apiVersion !== RECORD_API_VERSION) fields.fail('apiVersion', `must be ${RECORD_API_VERSION}`);
  if (root.kind !== kind) fields.fail('kind', `must be ${kind}`);
  const meta = fields.object(root.metadata, 'metadata');
  const name = fields.nonEmptyString(meta.name, 'metadata.name');
  const problem = nameProblem(name);
  if (problem) fields.fail('metadata.name', `is not a valid name: ${problem}`);
  if (expectedName !== undefined && name !== expectedName) fields.fail('metadata.name', `is "${name}" but the record is stored as "${expectedName}"`);
  return {
    root,
    metadata: { name, labels: fields.stringMap(meta.labels, 'metadata.labels'), annotations: fields.stringMap(meta.annotations, 'metadata.annotations') },
  };
}

export function parseCluster(fields: RecordFields, value: unknown, field: string): ClusterInfo {
  const cluster = fields.object(value, field);
  return { server: fields.string(cluster.server, `${field}.server`), version: fields.string(cluster.version, `${field}.version`) };
}

export function parseFilters(fields: RecordFields, spec: Record<string, unknown>): RecordFilters {
  return {
    includedNamespaces: fields.stringList(spec.includedNamespaces, 'spec.includedNamespaces'),
    excludedNamespaces: fields.stringList(spec.excludedNamespaces, 'spec.excludedNamespaces'),
    includedResources: fields.stringList(spec.includedResources, 'spec.includedResources'),
    excludedResources: fields.stringList(spec.excludedResources, 'spec.excludedResources'),
    includeClusterResources: fields.nullableBoolean(spec.includeClusterResources, 'spec.includeClusterResources'),
    labelSelector: fields.nullableString(spec.labelSelector, 'spec.labelSelector'),
    orLabelSelectors: fields.stringList(spec.orLabelSelectors, 'spec.orLabelSelectors'),
  };
}

/** @param keys the record's directory and key: its artifacts must lie there */
export function parseOutcome(fields: RecordFields, status: Record<string, unknown>, keys: { readonly dir: string; readonly record: string }): RecordOutcome {
  return {
    warnings: fields.count(status.warnings, 'status.warnings'),
    errors: fields.count(status.errors, 'status.errors'),
    ...(status.failureReason !== undefined ? { failureReason: fields.string(status.failureReason, 'status.failureReason') } : {}),
    artifacts: fields.artifacts(status.artifacts, 'status.artifacts', keys.dir, keys.record),
  };
}
