import type { BackupRecord } from '../../src/storage/backup-record.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import type { StoredObject } from '../../src/storage/object-store.js';
import type { RestoreRecord } from '../../src/storage/restore-record.js';

const SHA = 'a'.repeat(64);

/** A finished backup's record as the backup engine writes it. */
export function sampleBackupRecord(name = 'b1', overrides: { artifacts?: StoredObject[]; expiration?: string | null } = {}): BackupRecord {
  const keys = backupKeys(name);
  return {
    apiVersion: 'kubectl-backup.io/v1',
    kind: 'Backup',
    metadata: { name, labels: { 'kubectl-backup.io/schedule-name': 'nightly' }, annotations: {} },
    spec: {
      includedNamespaces: ['*'],
      excludedNamespaces: ['kube-system'],
      includedResources: ['*'],
      excludedResources: [],
      includeClusterResources: null,
      labelSelector: 'app=web',
      orLabelSelectors: [],
      orderedResources: { pods: 'ns1/pod1,ns1/pod2' },
      ttl: '720h',
      storageLocation: 'default',
      clientPageSize: 500,
    },
    status: {
      phase: 'Completed',
      formatVersion: '1.1.0',
      startTimestamp: '2024-05-01T02:00:00Z',
      completionTimestamp: '2024-05-01T02:00:05.123Z',
      expiration: overrides.expiration === undefined ? '2024-05-31T02:00:00Z' : overrides.expiration,
      cluster: { server: 'https://10.0.0.1:6443', version: 'v1.30.2' },
      progress: { totalItems: 3, itemsBackedUp: 3 },
      itemsByResource: { 'deployments.apps': 1, secrets: 2 },
      warnings: 0,
      errors: 0,
      artifacts: overrides.artifacts ?? [
        { key: keys.archive, size: 10, sha256: SHA },
        { key: keys.logs, size: 5, sha256: SHA },
      ],
    },
  };
}

export function sampleRestoreRecord(name = 'r1', overrides: { artifacts?: StoredObject[]; backupName?: string } = {}): RestoreRecord {
  const keys = restoreKeys(name);
  return {
    apiVersion: 'kubectl-backup.io/v1',
    kind: 'Restore',
    metadata: { name, labels: {}, annotations: {} },
    spec: {
      backupName: overrides.backupName ?? 'b1',
      scheduleName: null,
      includedNamespaces: ['*'],
      excludedNamespaces: [],
      includedResources: [],
      excludedResources: [],
      includeClusterResources: true,
      labelSelector: null,
      orLabelSelectors: [],
      orderedResources: {},
      namespaceMapping: { src: 'dst' },
      existingResourcePolicy: 'none',
      preserveNodePorts: false,
      includeOwnedResources: false,
    },
    status: {
      phase: 'PartiallyFailed',
      startTimestamp: '2024-05-02T10:00:00Z',
      completionTimestamp: '2024-05-02T10:01:00Z',
      cluster: { server: 'https://10.0.0.2:6443', version: 'v1.31.0' },
      counts: { created: 5, updated: 0, skipped: 1, failed: 1 },
      countsByResource: { configmaps: { created: 5, updated: 0, skipped: 1, failed: 1 } },
      warnings: 1,
      errors: 1,
      artifacts: overrides.artifacts ?? [{ key: keys.logs, size: 7, sha256: SHA }],
    },
  };
}

/** A deep copy of a JSON value with the field at `path` ("status.artifacts.0.size") replaced, or removed for undefined. */
export function withField(value: unknown, path: string, replacement: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
  const segments = path.split('.');
  let node: Record<string, unknown> = copy;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<string, unknown>;
  const last = segments.at(-1) as string;
  if (replacement === undefined) delete node[last];
  else node[last] = replacement;
  return copy;
}
