import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { RestoreObjects } from '../../src/cluster-records/restore-objects.js';
import { ExitCode } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { install } from '../../src/install/install.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { HttpKubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { RestoreObject } from '../../src/restore/restore-object.js';
import { createRestore } from '../../src/restore/restore-service.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { backupArchive, type ArchiveObject } from '../builders/restore-archive.js';
import { configMap, namespaceItem } from '../builders/restore-objects.js';
import { restoreRequest } from '../builders/restore-request.js';
import { storeBackup } from '../builders/stored-backup.js';

const ns = 'kubectl-backup';

interface RestoreObjectStatus {
  phase?: string;
  failureReason?: string;
  completionTimestamp?: string;
  counts?: { created: number };
  progress?: { totalItems: number; itemsRestored: number };
}

/** The `Restore` object a restore leaves in the cluster (restore.md, Result), however it ended. */
describe('restore: the Restore object at the end', function () {
  this.timeout(30_000);
  let server: TestApiServer;
  let client: HttpKubeClient;
  let dir: string;
  let backups = 0;

  const storeIn = (name: string) => new FileObjectStore(path.join(dir, name));
  const backupOf = async (store: FileObjectStore, objects: ArchiveObject[], name = `b${++backups}`): Promise<BackupRecord> => storeBackup(store, name, { archive: await backupArchive(objects) });
  const statusOf = async (name: string): Promise<RestoreObjectStatus | undefined> => (await getIfExists<KubeObject>(client, ownResourcePath('restores', ns, name)))?.status as RestoreObjectStatus | undefined;
  const restore = async (store: FileObjectStore, backup: BackupRecord, name?: string) => {
    const request = restoreRequest(backup.metadata.name, name ? { name } : {});
    const status = await RestoreObject.forCluster(client, ns, silentLogger, 'primary');
    const result = createRestore(request, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'location "primary"', logger: silentLogger, status });
    return { request, result };
  };

  before(async () => {
    server = await startTestApiServer({});
    client = new HttpKubeClient({ server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} }, { retry: { attempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-object-'));
    await install(client, { namespace: ns });
  });
  after(async () => {
    await server?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('ends Completed with the final progress, not the first one written', async () => {
    const store = storeIn('progress');
    const items = [namespaceItem('progress'), ...Array.from({ length: 11 }, (_, i) => configMap('progress', `c${i}`))];
    const { request, result } = await restore(store, await backupOf(store, items));
    assert.equal((await result).outcome.phase, 'Completed');
    const status = await statusOf(request.name);
    assert.equal(status?.phase, 'Completed');
    assert.deepEqual(status?.progress, { totalItems: 12, itemsRestored: 12 });
    const object = await getIfExists<KubeObject>(client, ownResourcePath('restores', ns, request.name));
    assert.equal((object?.spec as { storageLocation?: string }).storageLocation, 'primary', 'the object names its location');
  });

  it('shows Failed, with why and when, when its record cannot be written', async () => {
    const store = storeIn('unwritable');
    // Longer than a label value may be: the object's backup-name label holds it shortened.
    const backupName = `unwritable-${'a-long-backup-name-'.repeat(4)}b`;
    assert.ok(backupName.length > 63);
    const backup = await backupOf(store, [namespaceItem('unwritable'), configMap('unwritable', 'c')], backupName);
    // A regular file where the restores' directory would be: every write under it fails.
    await fs.writeFile(path.join(dir, 'unwritable', 'restores'), '');
    const { request, result } = await restore(store, backup, 'unwritable-restore');
    await assert.rejects(result, (err: Error & { exitCode?: number }) => {
      assert.equal(err.exitCode, ExitCode.Failed);
      assert.match(err.message, /ran \(phase Completed\), but its record could not be written/);
      return true;
    });
    const status = await statusOf(request.name);
    assert.equal(status?.phase, 'Failed');
    assert.match(status?.failureReason ?? '', /^restore ".*" ran \(phase Completed\), but its record could not be written to location "primary": /);
    assert.ok(status?.completionTimestamp && !Number.isNaN(Date.parse(status.completionTimestamp)), 'it has ended');
    assert.equal(status?.counts?.created, 2, 'what it did is kept');
    assert.deepEqual(status?.progress, { totalItems: 2, itemsRestored: 2 });
    // Deleting the backup finds the objects of its restores by that label, even without their records.
    const made = await new RestoreObjects(client, ns).madeFrom(backupName, 'primary');
    assert.deepEqual(made.map((o) => o.name), ['unwritable-restore']);
  });

  it('shows Failed, with why, when the restore stops after its object was made', async () => {
    const store = storeIn('stopped');
    const backup = await backupOf(store, [namespaceItem('stopped'), configMap('stopped', 'c')]);
    const status = await RestoreObject.forCluster(client, ns, silentLogger, 'primary');
    // Discovery is read while the archive is: refused, the restore stops once the archive was checked.
    const fault = server.faults.add({ method: 'GET', path: '^/api$', status: 403, message: 'discovery refused', times: 0 });
    try {
      const request = restoreRequest(backup.metadata.name);
      await assert.rejects(createRestore(request, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'location "primary"', logger: silentLogger, status }), /discovery refused/);
      const object = await statusOf(request.name);
      assert.equal(object?.phase, 'Failed');
      assert.match(object?.failureReason ?? '', /discovery refused/);
      assert.ok(object?.completionTimestamp);
    } finally {
      server.faults.remove(fault);
    }
  });
});
