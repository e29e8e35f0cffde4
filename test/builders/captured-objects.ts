import { Readable } from 'node:stream';
import { Discovery, qualifiedName, resourcePath } from '../../src/kube/discovery.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { KubeList } from '../../src/kube/types.js';
import { ARCHIVE_FORMAT_VERSION, type BackupPhase, type BackupRecord } from '../../src/storage/backup-record.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { RECORD_API_VERSION } from '../../src/storage/record-envelope.js';
import type { ArchiveObject } from './restore-archive.js';

export interface StoredBackupOptions {
  phase?: BackupPhase;
  labels?: Record<string, string>;
  orderedResources?: Record<string, string>;
  startTimestamp?: string;
}

/** Stores an archive and commits a backup record for it, as the backup engine does. */
export async function storeBackup(store: ObjectStore, name: string, archive: Buffer, options: StoredBackupOptions = {}): Promise<BackupRecord> {
  const keys = backupKeys(name);
  const stored = await store.put(keys.archive, Readable.from([archive]));
  const start = options.startTimestamp ?? new Date().toISOString();
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
      orderedResources: options.orderedResources ?? {},
      ttl: '720h',
      storageLocation: store.describe(),
      clientPageSize: 500,
    },
    status: {
      phase: options.phase ?? 'Completed',
      formatVersion: ARCHIVE_FORMAT_VERSION,
      startTimestamp: start,
      completionTimestamp: start,
      expiration: null,
      cluster: { server: 'https://source.example', version: 'v1.32.0' },
      progress: { totalItems: 0, itemsBackedUp: 0 },
      itemsByResource: {},
      warnings: 0,
      errors: 0,
      artifacts: [stored],
    },
  };
  await new BackupRepository(store).commit(record);
  return record;
}

/**
 * Reads the objects of some namespaces (and the cluster-scoped objects named) from a cluster
 * the way a backup stores them: as served, managedFields dropped.
 */
export async function captureObjects(client: KubeClient, namespaces: string[], clusterScoped: { resource: string; names: string[] }[] = []): Promise<ArchiveObject[]> {
  const discovery = await Discovery.load(client);
  const out: ArchiveObject[] = [];
  for (const res of discovery.backupCandidates()) {
    const resource = qualifiedName(res);
    if (res.namespaced) {
      for (const ns of namespaces) {
        const list = await client.json<KubeList>({ method: 'GET', path: resourcePath(res, ns) });
        for (const object of list.items) {
          delete object.metadata.managedFields;
          out.push({ resource, object: { apiVersion: res.groupVersion, kind: res.kind, ...object } });
        }
      }
    } else {
      const wanted = new Set([...(resource === 'namespaces' ? namespaces : []), ...(clusterScoped.find((c) => c.resource === resource)?.names ?? [])]);
      if (wanted.size === 0) continue;
      const list = await client.json<KubeList>({ method: 'GET', path: resourcePath(res) });
      for (const object of list.items) {
        if (!wanted.has(object.metadata.name ?? '')) continue;
        delete object.metadata.managedFields;
        out.push({ resource, object: { apiVersion: res.groupVersion, kind: res.kind, ...object } });
      }
    }
  }
  return out;
}
