import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { createSchedule } from '../../src/schedule/create-schedule.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { storeBackup } from '../builders/stored-backup.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { kubectlBackup, type RunResult } from '../helpers/plugin.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';
import { installWithPrimaryLocation } from './schedule-primary-location.js';

const ns = 'kubectl-backup';
let api: TestApiServer;
let s3: S3TestServer;
let client: KubeClient;
let store: ObjectStore;
const env = { KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kubectl-cache-')) };
const run = (...args: string[]): Promise<RunResult> => kubectlBackup(args, { kubeconfig: api.kubeconfigPath, env });

type BackupObject = KubeObject & { status?: { phase?: string }; spec?: { storageLocation?: string } };
const backupObjects = async () =>
  new Map((await client.json<{ items: BackupObject[] }>({ method: 'GET', path: ownResourcePath('backups', ns) })).items.map((o) => [o.metadata.name ?? '', o]));

/** The garbage collector works in the background: wait until it has (bounded), never a fixed time. */
async function until(condition: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await condition()) return;
    await sleep(10);
  }
  assert.fail(`never happened: ${what}`);
}

describe('sync: records back into Backup objects, and schedules that own them', () => {
  before(async () => {
    api = await startTestApiServer({ tls: true, controllerDelayMs: 0 });
    s3 = await startS3Server();
    ({ client } = await connectCluster({ kubeconfig: api.kubeconfigPath }));
    store = await installWithPrimaryLocation(client, ns, s3, 'sync');
  });
  after(async () => {
    await api?.close();
    await s3?.close();
  });

  it('creates a Backup object for every record, owned by its schedule while the schedule asks for it', async () => {
    await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } });
    await client.json({ method: 'POST', path: '/api/v1/namespaces/shop/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } } });
    const { cronJob } = await createSchedule(client, {
      name: 'owned', namespace: ns, schedule: '@daily', paused: true,
      template: {
        includedNamespaces: ['shop'], excludedNamespaces: [], includedResources: [], excludedResources: [], includeClusterResources: null,
        labelSelector: null, orLabelSelectors: [], orderedResources: {}, ttl: '720h', clientPageSize: 500, labels: {}, annotations: {},
        useOwnerReferencesInBackup: true,
      },
    });
    // One backup taken by the schedule's run (its Backup object written as it runs), one whose object never was.
    const taken = await run('create', '--from-schedule', 'owned');
    assert.equal(taken.code, 0, taken.stderr);
    const runName = /Backup "(owned-\d{14})" Completed/.exec(taken.stdout)?.[1];
    assert.ok(runName, taken.stdout);
    const label = { 'kubectl-backup.io/schedule-name': 'owned' };
    await storeBackup(store, 'owned-20250101020000', { labels: label, spec: { storageLocation: 'primary' } });
    await storeBackup(store, 'by-hand', {});
    const result = await run('sync');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'primary: 2 created, 0 updated, 0 deleted (gone from storage), 0 ownerReferences to deleted schedules dropped, 1 unchanged\n');
    const objects = await backupObjects();
    assert.deepEqual([...objects.keys()].sort(), ['by-hand', 'owned-20250101020000', runName].sort());
    assert.deepEqual(objects.get(runName)!.metadata.ownerReferences?.map((r) => r.uid), [cronJob.metadata.uid]);
    const owned = objects.get('owned-20250101020000')!;
    assert.deepEqual(owned.metadata.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'owned', uid: cronJob.metadata.uid }]);
    assert.equal(owned.status?.phase, 'Completed');
    assert.equal(owned.spec?.storageLocation, 'primary');
    assert.equal(owned.metadata.labels?.['kubectl-backup.io/schedule-name'], 'owned');
    assert.equal(objects.get('by-hand')!.metadata.ownerReferences, undefined);
    const again = await run('sync');
    assert.equal(again.stdout, 'primary: 0 created, 0 updated, 0 deleted (gone from storage), 0 ownerReferences to deleted schedules dropped, 3 unchanged\n');
  });

  it("brings them back after the schedule's deletion without an owner, so that the garbage collector leaves them alone", async () => {
    const deleted = await run('schedule', 'delete', 'owned', '--confirm');
    assert.equal(deleted.code, 0, deleted.stderr);
    await until(async () => (await backupObjects()).size === 1, 'the garbage collector deletes the Backup objects the schedule owned');
    assert.deepEqual([...(await backupObjects()).keys()], ['by-hand']);
    assert.equal((await store.head('backups/owned-20250101020000/kubectl-backup.json')) !== undefined, true, 'the data stays in storage');

    const synced = await run('sync');
    assert.equal(synced.code, 0, synced.stderr);
    assert.equal(synced.stdout, 'primary: 2 created, 0 updated, 0 deleted (gone from storage), 0 ownerReferences to deleted schedules dropped, 1 unchanged\n');
    const objects = await backupObjects();
    const owned = [...objects.keys()].filter((n) => n.startsWith('owned-'));
    assert.equal(owned.length, 2);
    for (const name of owned) {
      assert.equal(objects.get(name)?.metadata.ownerReferences, undefined, name);
      assert.equal(objects.get(name)?.status?.phase, 'Completed');
    }
    // Another object event makes the collector look again; the recreated objects have no owner to miss.
    await client.json({ method: 'PATCH', path: ownResourcePath('backups', ns, 'owned-20250101020000'), contentType: 'application/merge-patch+json', body: { metadata: { labels: { touched: 'yes' } } } });
    const stay = await run('sync');
    assert.equal(stay.stdout, 'primary: 0 created, 0 updated, 0 deleted (gone from storage), 0 ownerReferences to deleted schedules dropped, 3 unchanged\n');
    assert.equal((await backupObjects()).size, 3);
  });

  it('puts the status back when an object drifted from its record', async () => {
    await client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, 'by-hand')}/status`, contentType: 'application/merge-patch+json', body: { status: { phase: 'InProgress' } } });
    const result = await run('sync', '-o', 'json');
    const [report] = JSON.parse(result.stdout) as { location: string; updated: string[] }[];
    assert.deepEqual(report!.updated, ['by-hand']);
    assert.equal((await backupObjects()).get('by-hand')?.status?.phase, 'Completed');
  });

  it("names the location in the objects it makes as this cluster does, not as the writer of the record did", async () => {
    // Written by a cluster that calls this bucket "default"; here it is "primary".
    await storeBackup(store, 'migrated', { spec: { storageLocation: 'default' } });
    assert.equal((await run('sync')).code, 0);
    assert.equal((await backupObjects()).get('migrated')?.spec?.storageLocation, 'primary');
    const again = await run('sync', '-o', 'json');
    assert.deepEqual((JSON.parse(again.stdout) as { deleted: string[] }[])[0]!.deleted, [], 'a later sync does not take it for an object whose record is gone');
    for await (const object of store.list('backups/migrated/')) await store.delete(object.key);
    const gone = await run('sync', '-o', 'json');
    assert.equal(gone.code, 0, gone.stderr);
    assert.deepEqual((JSON.parse(gone.stdout) as { deleted: string[] }[])[0]!.deleted, ['migrated'], "this location's object, its record gone");
    assert.equal((await backupObjects()).get('migrated'), undefined);
  });

  it('deletes the objects of ended backups whose records are gone from storage; backup delete takes such a one by name', async () => {
    await storeBackup(store, 'gone', { spec: { storageLocation: 'primary' } });
    assert.equal((await run('sync')).code, 0);
    assert.equal((await backupObjects()).get('gone')?.status?.phase, 'Completed');
    // Deleted from storage as a delete or gc from another cluster sharing the bucket would.
    for await (const object of store.list('backups/gone/')) await store.delete(object.key);
    const post = async (name: string, storageLocation: string, status: Record<string, unknown>) => {
      await client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name }, spec: { storageLocation } } });
      await client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, name)}/status`, contentType: 'application/merge-patch+json', body: { status } });
    };
    const now = new Date().toISOString();
    await post('failed-here', 'primary', { phase: 'Failed', failureReason: 'storage unreachable' });
    await post('running-here', 'primary', { phase: 'InProgress', startTimestamp: now, lastUpdateTimestamp: now });
    await post('of-elsewhere', 'other', { phase: 'Completed' });

    const result = await run('sync', '-o', 'json');
    assert.equal(result.code, 0, result.stderr);
    const [report] = JSON.parse(result.stdout) as { location: string; deleted: string[] }[];
    assert.deepEqual(report!.deleted, ['gone']);
    const objects = await backupObjects();
    assert.equal(objects.has('gone'), false);
    for (const kept of ['failed-here', 'running-here', 'of-elsewhere']) assert.ok(objects.has(kept), `${kept} stays`);

    // One left by a sync that has not run yet: not listed by get, but delete removes it.
    await post('gone-too', 'primary', { phase: 'PartiallyFailed' });
    const listed = await run('get', '-o', 'json');
    assert.ok(!listed.stdout.includes('gone-too'), 'no backup any more');
    const deleted = await run('delete', 'gone-too', '--confirm');
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(deleted.stdout, 'backup "gone-too" deleted (0 objects removed from storage; its Backup object)\n');
    assert.equal((await backupObjects()).has('gone-too'), false);
    const elsewhere = await run('delete', 'of-elsewhere', '--confirm');
    assert.equal(elsewhere.code, 2, 'an object of another location is not this location\'s to delete');
    assert.equal((await run('sync')).stdout, 'primary: 0 created, 0 updated, 0 deleted (gone from storage), 0 ownerReferences to deleted schedules dropped, 3 unchanged\n');
  });
});
