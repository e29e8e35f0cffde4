import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BackupEngine } from '../../src/backup/backup-engine.js';
import { buildBackupSpec } from '../../src/backup/backup-record-builder.js';
import type { BackupRequest } from '../../src/backup/backup-request.js';
import { noStatusSink, pendingStatusSink } from '../../src/backup/backup-status-sink.js';
import { BackupCatalog } from '../../src/backup-records/backup-catalog.js';
import { BackupObjectSink } from '../../src/cluster-records/backup-object-sink.js';
import { BackupObjects } from '../../src/cluster-records/backup-objects.js';
import { newBackupRun, runAnnotations } from '../../src/cluster-records/backup-run.js';
import { localProcessTable } from '../../src/cluster-records/process-table.js';
import { BadInputError, OperationError } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { install } from '../../src/install/install.js';
import { isNotFound } from '../../src/kube/api-error.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import type { Logger } from '../../src/log/logger.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore, PutOptions, StoredObject } from '../../src/storage/object-store.js';
import { StorageError } from '../../src/storage/storage-errors.js';
import { startTestApiServer, type KubeObject as SeedObject, type TestApiServer } from '../apiserver/index.js';
import { backupRequest, MemoryLogger } from '../builders/backup-run.js';
import { GatedStore } from '../builders/gated-store.js';
import { eventually } from '../helpers/kubectl.js';

const ns = 'kubectl-backup';
const items = 3000;

interface BackupObject extends KubeObject {
  spec: Record<string, unknown>;
  status?: { phase?: string; progress?: { totalItems: number; itemsBackedUp: number }; startTimestamp?: string; completionTimestamp?: string; expiration?: string; failureReason?: string; lastUpdateTimestamp?: string };
}

/** The `Backup` object while a backup runs, against the API test server (backup.md, Records and results). */
describe('backup status: the Backup object of a running backup', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let client: KubeClient;
  let dir: string;

  const request = (name: string) => backupRequest(name, { includeNamespaces: ['app-*'], includeResources: ['configmaps'] }, { labels: { team: 'data' }, annotations: { note: 'status test' }, pageSize: 100 });
  const identity = (r: BackupRequest) => ({ name: r.name, labels: r.labels, annotations: r.annotations, spec: buildBackupSpec(r, 'default') });
  const object = async (name: string): Promise<BackupObject | undefined> => {
    try {
      return await client.json<BackupObject>({ method: 'GET', path: ownResourcePath('backups', ns, name) });
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  };
  const statusWrites = (name: string) => api.requestLog.list().filter((e) => e.method === 'PATCH' && e.path === `${ownResourcePath('backups', ns, name)}/status`);
  const run = (r: BackupRequest, store: ObjectStore, logger: Logger, status = noStatusSink) =>
    new BackupEngine(r, { client, store, storageLocation: 'default', logger, status }).run();

  before(async () => {
    api = await startTestApiServer();
    ({ client } = await connectCluster({ kubeconfig: api.kubeconfigPath }));
    dir = await mkdtemp(join(tmpdir(), 'backup-status-'));
    const objects: SeedObject[] = [];
    for (let i = 0; i < items; i++) {
      objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: `app-${i % 5}` }, data: { payload: randomBytes(750).toString('base64') } });
    }
    await api.seed(objects);
  });
  after(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes no object where the CRDs are not installed', async () => {
    const sink = await BackupObjectSink.forCluster(client, ns, identity(request('no-crds')), new MemoryLogger());
    assert.equal(sink, noStatusSink);
  });

  it('shows InProgress with items total and done while a backup of 3000 objects runs, then the final phase', async () => {
    await install(client, { namespace: ns });
    api.requestLog.clear();
    const r = request('big');
    const store = new GatedStore(new FileObjectStore(join(dir, 'big')), (key) => key === backupKeys('big').archive, 64 * 1024);
    const sink = await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger());
    const started = Date.now();
    const running = run(r, store, new MemoryLogger(), sink);

    // The archive's upload is held: the backup stalls with part of its items written (the
    // payloads do not compress, so 64 KiB of archive is a small part of it).
    await store.reached;
    let seen: BackupObject | undefined;
    await eventually(
      async () => {
        seen = await object('big');
        return seen?.status?.phase === 'InProgress' && (seen.status.progress?.itemsBackedUp ?? 0) > 0;
      },
      10_000,
      'the Backup object to show progress',
    );
    const progress = seen!.status!.progress!;
    assert.ok(progress.itemsBackedUp < items, `progress while held: ${JSON.stringify(progress)}`);
    assert.ok(progress.totalItems >= progress.itemsBackedUp, `total is known: ${JSON.stringify(progress)}`);
    assert.deepEqual(seen!.metadata.labels, { team: 'data' });
    assert.equal(seen!.metadata.annotations?.note, 'status test');
    assert.deepEqual(seen!.spec.includedNamespaces, ['app-*']);
    assert.equal(seen!.spec.storageLocation, 'default');
    assert.ok(seen!.status!.startTimestamp && seen!.status!.expiration && seen!.status!.lastUpdateTimestamp);

    store.release();
    const outcome = await running;
    const done = (await object('big'))!;
    assert.equal(outcome.phase, 'Completed');
    assert.equal(done.status?.phase, 'Completed');
    assert.equal(done.status?.progress?.itemsBackedUp, outcome.totalItems);
    assert.ok(outcome.totalItems >= items);
    assert.equal(done.status?.completionTimestamp, outcome.completionTimestamp);
    assert.equal(done.status?.expiration, outcome.record!.status.expiration);

    // Throttled: phase changes at once, progress at most about once a second.
    const seconds = (Date.now() - started) / 1000;
    const writes = statusWrites('big').length;
    assert.ok(writes >= 3 && writes <= 2 + Math.ceil(seconds) + 2, `${writes} status writes in ${seconds.toFixed(1)} s`);
  });

  it('reads the first pages while the Backup object\'s status is still being written: only its create, which claims the name, is waited for', async () => {
    await install(client, { namespace: ns });
    const r = request('not-held');
    // Each status write answers late, as from a distant API server.
    api.faults.add({ method: 'PATCH', path: `^${ownResourcePath('backups', ns)}`, delayMs: 400, times: 0 });
    try {
      api.requestLog.clear();
      const outcome = await run(r, new FileObjectStore(join(dir, 'not-held')), new MemoryLogger(), pendingStatusSink(BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger())));
      assert.equal(outcome.phase, 'Completed');
      // The log has each request as it arrives: the first page was asked for after the
      // object's create, before its first status write could have been answered.
      const log = api.requestLog.list();
      const firstList = log.find((e) => e.method === 'GET' && e.path.endsWith('/configmaps'));
      const create = log.find((e) => e.method === 'POST' && e.path === ownResourcePath('backups', ns));
      const status = log.find((e) => e.method === 'PATCH' && e.path === `${ownResourcePath('backups', ns, 'not-held')}/status`);
      assert.ok(firstList && create && status, 'all were sent');
      assert.ok(log.indexOf(create) < log.indexOf(firstList), 'the name is claimed before the backup reads');
      assert.ok(Date.parse(firstList.time) < Date.parse(status.time) + 400, `first page at ${firstList.time}, first status write at ${status.time}`);
    } finally {
      api.faults.clear();
    }
    assert.equal((await object('not-held'))?.status?.phase, 'Completed');
  });

  /** A `Backup` object as another run left it. */
  const existingObject = async (name: string, storageLocation: string, status: Record<string, unknown>, annotations: Record<string, string> = {}): Promise<BackupObject> => {
    await client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name, namespace: ns, annotations }, spec: { storageLocation } } });
    await client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, name)}/status`, contentType: 'application/merge-patch+json', body: { status } });
    return (await object(name))!;
  };
  const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

  for (const [left, status] of [
    ['a run that died (silent for 10 minutes)', { phase: 'InProgress', lastUpdateTimestamp: minutesAgo(10) }],
    ['a run that ended Failed', { phase: 'Failed', failureReason: 'disk full' }],
    ['a Completed backup of the same location whose record was deleted', { phase: 'Completed' }],
  ] as const) {
    it(`replaces the object ${left} under the same name`, async () => {
      const name = `again-${status.phase.toLowerCase()}`;
      const old = await existingObject(name, 'default', status);
      const r = request(name);
      await run(r, new FileObjectStore(join(dir, name)), new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger()));
      const fresh = (await object(name))!;
      assert.notEqual(fresh.metadata.uid, old.metadata.uid);
      assert.equal(fresh.status?.phase, 'Completed');
      assert.deepEqual(fresh.spec.includedResources, ['configmaps']);
    });
  }

  it('replaces at once the object of a run killed on this machine, reporting a moment ago', async () => {
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    const killed = { ...newBackupRun(localProcessTable()), pid: child.pid! };
    const old = await existingObject('killed-here', 'default', { phase: 'InProgress', lastUpdateTimestamp: new Date().toISOString() }, runAnnotations(killed));
    const r = request('killed-here');
    await run(r, new FileObjectStore(join(dir, 'killed-here')), new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger()));
    const fresh = (await object('killed-here'))!;
    assert.notEqual(fresh.metadata.uid, old.metadata.uid);
    assert.equal(fresh.status?.phase, 'Completed');
    assert.equal(fresh.metadata.annotations?.['kubectl-backup.io/run-pid'], String(process.pid));
  });

  for (const [holder, name, location, status, message] of [
    ['a run still reporting', 'running', 'default', { phase: 'InProgress', lastUpdateTimestamp: minutesAgo(1) }, /backup "running" is already running \(InProgress, last reported at .*\)/],
    ['a run that has just started', 'starting', 'default', { phase: 'New' }, /backup "starting" is already running \(New/],
    ['a Completed backup of another location', 'elsewhere', 'other', { phase: 'Completed' }, /backup "elsewhere" exists in storage location other \(its Backup object is Completed\)/],
  ] as const) {
    it(`refuses a second run while the object is ${holder}: exit 2, before anything is written to storage, the object left as it is`, async () => {
      const before = await existingObject(name, location, status);
      const r = request(name);
      const store = new FileObjectStore(join(dir, name));
      // What a run that died left: a run that goes ahead removes it first.
      await store.put(backupKeys(name).logs, Readable.from([Buffer.from('left over')]));
      await assert.rejects(run(r, store, new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger())), (err: unknown) => {
        assert.ok(err instanceof BadInputError, String(err));
        assert.match(err.message, message);
        return true;
      });
      const keys: string[] = [];
      for await (const stored of store.list('')) keys.push(stored.key);
      assert.deepEqual(keys, [backupKeys(name).logs], 'storage is as it was');
      const after = (await object(name))!;
      assert.equal(after.metadata.uid, before.metadata.uid);
      assert.deepEqual(after.status, before.status);
    });
  }

  it('refuses a second create NAME while the first runs, and the first keeps its object', async () => {
    const r = request('twice');
    const firstStore = new GatedStore(new FileObjectStore(join(dir, 'twice')), (key) => key === backupKeys('twice').archive, 64 * 1024);
    const first = run(r, firstStore, new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger()));
    await firstStore.reached;
    const uid = (await object('twice'))!.metadata.uid;
    await assert.rejects(run(r, new FileObjectStore(join(dir, 'twice')), new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger())), /backup "twice" is already running/);
    firstStore.release();
    assert.equal((await first).phase, 'Completed');
    const done = (await object('twice'))!;
    assert.equal(done.metadata.uid, uid);
    assert.equal(done.status?.phase, 'Completed');
  });

  it('takes the object its own POST made when the answer was lost and the retried POST gets 409', async () => {
    const r = request('claimed');
    const backups = `^${ownResourcePath('backups', ns)}$`;
    api.requestLog.clear();
    api.faults.add({ method: 'POST', path: backups, reset: 'mid-body' });
    try {
      const outcome = await run(r, new FileObjectStore(join(dir, 'claimed')), new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger()));
      assert.equal(outcome.phase, 'Completed');
    } finally {
      api.faults.clear();
    }
    const posts = api.requestLog.list().filter((e) => e.method === 'POST' && new RegExp(backups).test(e.path));
    assert.deepEqual(posts.map((e) => [e.status, e.fault]), [[201, 'mid-body'], [409, undefined]], 'the answer to the first POST was lost, its retry found the object');
    const done = (await object('claimed'))!;
    assert.equal(done.status?.phase, 'Completed');
    assert.match(done.metadata.annotations?.['kubectl-backup.io/run-id'] ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(done.metadata.annotations?.['kubectl-backup.io/run-pid'], String(process.pid));
  });

  it('takes, as sync does, the object its own retried POST made, without a run of create', async () => {
    const r = request('mirrored');
    const backups = `^${ownResourcePath('backups', ns)}$`;
    api.faults.add({ method: 'POST', path: backups, reset: 'mid-body' });
    api.requestLog.clear();
    try {
      await new BackupObjects(client, ns).create(identity(r));
    } finally {
      api.faults.clear();
    }
    const made = await object('mirrored');
    assert.ok(made, 'not refused as a run still going');
    const writes = api.requestLog.list().filter((e) => e.method !== 'GET');
    assert.deepEqual(writes.map((e) => [e.method, e.status, e.fault]), [['POST', 201, 'mid-body'], ['POST', 409, undefined]], 'made once, never deleted and made again');
  });

  it('shows Failed when discovery fails: the object is made before discovery, and get lists the backup', async () => {
    const r = request('no-discovery');
    const store = new FileObjectStore(join(dir, 'no-discovery'));
    api.faults.add({ method: 'GET', path: '^/apis$', status: 403, message: 'forbidden by the test', times: 0 });
    try {
      await assert.rejects(run(r, store, new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger())), (err: unknown) => {
        assert.ok(err instanceof OperationError && err.exitCode === 1, String(err));
        assert.match(err.message, /cannot read the API discovery/);
        return true;
      });
    } finally {
      api.faults.clear();
    }
    const failed = (await object('no-discovery'))!;
    assert.equal(failed.status?.phase, 'Failed');
    assert.match(failed.status?.failureReason ?? '', /cannot read the API discovery.*forbidden by the test/);
    assert.ok(failed.status?.startTimestamp && failed.status.completionTimestamp);
    const catalog = new BackupCatalog(new BackupRepository(store), { objects: new BackupObjects(client, ns), locationReference: 'default', locationLabel: 'location "default"', logger: new MemoryLogger() });
    const entry = await catalog.find('no-discovery');
    assert.equal(entry?.source === 'cluster' && entry.phase, 'Failed');
  });

  it('leaves no object for bad input: a malformed selector is refused before the object is made', async () => {
    const r = backupRequest('bad-selector', { labelSelector: 'app in (web' });
    await assert.rejects(run(r, new FileObjectStore(join(dir, 'bad-selector')), new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger())), BadInputError);
    assert.equal(await object('bad-selector'), undefined);
  });

  it('leaves an object deleted by hand while the backup runs deleted, and the backup completes', async () => {
    const r = request('deleted');
    const store = new GatedStore(new FileObjectStore(join(dir, 'deleted')), (key) => key === backupKeys('deleted').archive, 64 * 1024);
    const logger = new MemoryLogger();
    const running = run(r, store, new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), logger));
    await store.reached;
    await eventually(async () => (await object('deleted')) !== undefined, 10_000, 'the Backup object');
    await client.json({ method: 'DELETE', path: ownResourcePath('backups', ns, 'deleted') });
    store.release();
    assert.equal((await running).phase, 'Completed');
    assert.equal(await object('deleted'), undefined);
    assert.ok(logger.lines.some((l) => l.message === 'the Backup object was deleted while the backup runs; it is not written again'));
  });

  it('shows Failed with the reason when storage fails, and the backup fails as it would without it', async () => {
    const failing: ObjectStore = new (class extends FileObjectStore {
      override put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
        if (key === backupKeys('broken').results) {
          body.destroy();
          return Promise.reject(new StorageError('cannot write "results" in the test store: disk full'));
        }
        return super.put(key, body, options);
      }
    })(join(dir, 'broken'));
    const r = request('broken');
    await assert.rejects(run(r, failing, new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), new MemoryLogger())), /disk full/);
    const failed = (await object('broken'))!;
    assert.equal(failed.status?.phase, 'Failed');
    assert.match(failed.status?.failureReason ?? '', /disk full/);
    assert.ok(failed.status?.completionTimestamp);
  });

  it('never fails the backup when the object cannot be written', async () => {
    api.faults.add({ method: 'POST', path: `^${ownResourcePath('backups', ns)}$`, status: 403, times: 1 });
    const r = request('forbidden');
    const logger = new MemoryLogger();
    const outcome = await run(r, new FileObjectStore(join(dir, 'forbidden')), new MemoryLogger(), await BackupObjectSink.forCluster(client, ns, identity(r), logger));
    assert.equal(outcome.phase, 'Completed');
    assert.deepEqual(
      logger.lines.filter((l) => l.level === 'warn').map((l) => l.message),
      ['could not write the Backup object; the backup goes on (storage holds its record)'],
    );
    assert.equal(await object('forbidden'), undefined);
    assert.equal(statusWrites('forbidden').length, 0, 'no more requests once the object could not be made');
  });
});
