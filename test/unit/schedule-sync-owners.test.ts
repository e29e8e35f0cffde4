import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { KubeApiError } from '../../src/kube/api-error.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import type { KubeObject, OwnerReference } from '../../src/kube/types.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { syncBackups } from '../../src/sync/sync-backups.js';
import { storeBackup } from '../builders/stored-backup.js';

const ns = 'kubectl-backup';
const cronJobRef = (name: string, uid: string): OwnerReference => ({ apiVersion: 'batch/v1', kind: 'CronJob', name, uid });

/**
 * An API server whose garbage collector has not run yet: `Backup` objects still name owners
 * that are gone. It answers the listings sync makes and notes every write.
 */
class StaleOwnersCluster implements KubeClient {
  readonly server = 'https://test';
  readonly writes: KubeRequest[] = [];
  constructor(
    private readonly backups: KubeObject[],
    private readonly cronJobs: KubeObject[],
  ) {}
  async json<T>(req: KubeRequest): Promise<T> {
    if (req.method === 'GET' && req.path === ownResourcePath('backups', ns)) return { items: structuredClone(this.backups) } as T;
    if (req.method === 'GET' && req.path === `/apis/batch/v1/namespaces/${ns}/cronjobs`) return { items: structuredClone(this.cronJobs) } as T;
    if (req.method !== 'GET') {
      this.writes.push(req);
      return {} as T;
    }
    throw new KubeApiError(404, req.method, req.path, { reason: 'NotFound' });
  }
  stream(): Promise<Readable> {
    throw new Error('not used');
  }
}

const backupObject = (name: string, ownerReferences: OwnerReference[]): KubeObject => ({
  apiVersion: 'kubectl-backup.io/v1',
  kind: 'Backup',
  metadata: { name, ownerReferences },
  spec: {},
  status: { phase: 'Completed' },
});

describe('sync: owners that are gone', () => {
  it('drops the references to deleted schedules and keeps every other owner', async () => {
    const store = new FileObjectStore(mkdtempSync(join(tmpdir(), 'sync-owners-')));
    for (const name of ['mixed', 'orphaned', 'owned']) await storeBackup(store, name);
    const live = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'live', uid: 'uid-live', labels: { 'app.kubernetes.io/managed-by': 'kubectl-backup', 'kubectl-backup.io/schedule-name': 'live' } } };
    const other: OwnerReference = { apiVersion: 'v1', kind: 'ConfigMap', name: 'anchor', uid: 'uid-cm' };
    const cluster = new StaleOwnersCluster(
      [
        backupObject('mixed', [cronJobRef('gone', 'uid-gone'), other, cronJobRef('live', 'uid-live')]),
        backupObject('orphaned', [cronJobRef('gone', 'uid-gone')]),
        backupObject('owned', [cronJobRef('live', 'uid-live')]),
      ],
      [live],
    );

    const report = await syncBackups(cluster, ns, store, 'default');

    assert.deepEqual(report, { created: [], updated: [], deleted: [], ownerReferencesDropped: ['mixed', 'orphaned'], unchanged: 1, unreadable: [] });
    assert.deepEqual(
      cluster.writes.map((w) => ({ method: w.method, path: w.path, contentType: w.contentType, body: w.body })),
      [
        {
          method: 'PATCH',
          path: ownResourcePath('backups', ns, 'mixed'),
          contentType: 'application/merge-patch+json',
          body: { metadata: { ownerReferences: [other, cronJobRef('live', 'uid-live')] } },
        },
        // null, not []: in a merge patch null is what removes the field.
        { method: 'PATCH', path: ownResourcePath('backups', ns, 'orphaned'), contentType: 'application/merge-patch+json', body: { metadata: { ownerReferences: null } } },
      ],
    );
  });
});
