import type { S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import { collectGarbage, orphanMinAgeMs } from '../../src/gc/collect-garbage.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { createLocation } from '../../src/location/manage-locations.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { FileObjectStore, PARTIAL_DIR } from '../../src/storage/file-object-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { incompleteUploadKeys, leaveIncompleteUpload, testServerClient } from '../builders/incomplete-upload.js';
import { storeBackup, storeRestore, storeUnfinishedBackup } from '../builders/stored-backup.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { kubectlBackup } from '../helpers/plugin.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';
import { installWithPrimaryLocation } from './schedule-primary-location.js';

const ns = 'kubectl-backup';
const hour = 3_600_000;
let api: TestApiServer;
let s3: S3TestServer;
let client: KubeClient;
let store: ObjectStore;
/** How far the S3 test server's clock, which dates multipart uploads, runs behind. */
let s3ClockLagMs = 0;
const env = { KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kubectl-cache-')) };

const names = async () => (await new BackupRepository(store).names()).sort();
const backupObjects = async () => (await client.json<{ items: KubeObject[] }>({ method: 'GET', path: ownResourcePath('backups', ns) })).items.map((i) => i.metadata.name).sort();

describe('gc: expired backups and unfinished ones', () => {
  before(async () => {
    api = await startTestApiServer({ tls: true });
    s3 = await startS3Server({ writeOnce: true, now: () => new Date(Date.now() - s3ClockLagMs) });
    ({ client } = await connectCluster({ kubeconfig: api.kubeconfigPath }));
    store = await installWithPrimaryLocation(client, ns, s3, 'gc');
  });
  after(async () => {
    await api?.close();
    await s3?.close();
  });

  it('with --dry-run says what it would delete and deletes nothing', async () => {
    const now = Date.now();
    await storeBackup(store, 'old', { start: new Date(now - 48 * hour), expiration: new Date(now - hour) });
    await storeBackup(store, 'fresh', { start: new Date(now - hour), expiration: new Date(now + 24 * hour) });
    await storeBackup(store, 'forever', { start: new Date(now - 1000 * hour), expiration: null });
    await storeUnfinishedBackup(store, 'crashed');
    for (const name of ['old', 'fresh']) {
      await client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name }, spec: {} } });
    }
    const report = await collectGarbage(store, { dryRun: true, now: new Date(now + orphanMinAgeMs + hour), cluster: { client, namespace: ns } });
    assert.deepEqual(report.expired.map((e) => e.name), ['fresh', 'old'], 'both have expired a day later');
    assert.deepEqual(report.orphans.map((o) => o.name), ['crashed']);
    assert.deepEqual(await names(), ['forever', 'fresh', 'old']);
    const result = await kubectlBackup(['gc', '--dry-run'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, `primary:\n  would delete backup old (expired ${new Date(now - hour).toISOString()})\n`, 'crashed is younger than a day');
  });

  it('deletes expired backups record first, then their artifacts and Backup objects; keeps the rest', async () => {
    s3.clearLog();
    const result = await kubectlBackup(['gc'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^primary:\n {2}deleted backup old \(expired /);
    assert.deepEqual(await names(), ['forever', 'fresh']);
    // Each key once, in the order first asked: the SDK may retry a delete whose answer was lost under load.
    const deletes = [...new Set(s3.requestLog.filter((r) => r.operation === 'DeleteObject').map((r) => r.key))];
    assert.equal(deletes[0], 'gc/backups/old/kubectl-backup.json', 'the record goes first');
    assert.deepEqual(deletes.slice(1).sort(), ['gc/backups/old/old-logs.gz', 'gc/backups/old/old-resource-list.json.gz', 'gc/backups/old/old-results.gz', 'gc/backups/old/old.tar.gz']);
    assert.deepEqual(await backupObjects(), ['fresh']);
  });

  it('removes the artifacts of a backup without a record once they are a day old', async () => {
    const young = await collectGarbage(store, { dryRun: false });
    assert.deepEqual(young.orphans, []);
    const report = await collectGarbage(store, { dryRun: false, now: new Date(Date.now() + orphanMinAgeMs + hour) });
    assert.deepEqual(report.orphans.map((o) => [o.name, o.objects]), [['crashed', 1]]);
    assert.deepEqual(report.expired.map((e) => e.name), ['fresh']);
    assert.deepEqual(await names(), ['forever']);
  });

  it('deletes with an expired backup the records and Restore objects of its restores, and its Backup object', async () => {
    await storeBackup(store, 'stale', { expiration: new Date(Date.now() - hour) });
    await storeRestore(store, 'stale-back', 'stale');
    await storeRestore(store, 'forever-back', 'forever');
    await client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name: 'stale' }, spec: {} } });
    for (const name of ['stale-back', 'forever-back']) {
      await client.json({ method: 'POST', path: ownResourcePath('restores', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Restore', metadata: { name }, spec: {} } });
    }
    const report = await collectGarbage(store, { dryRun: false, cluster: { client, namespace: ns } });
    assert.deepEqual(report.expired.map((e) => e.name), ['stale']);
    assert.deepEqual([report.failed, report.warnings], [[], []]);
    assert.deepEqual(await names(), ['forever']);
    assert.deepEqual((await new RestoreRepository(store).names()).sort(), ['forever-back']);
    assert.equal((await backupObjects()).includes('stale'), false);
    const restoreObjects = (await client.json<{ items: KubeObject[] }>({ method: 'GET', path: ownResourcePath('restores', ns) })).items.map((i) => i.metadata.name);
    assert.deepEqual(restoreObjects, ['forever-back']);
  });

  it("deletes the Backup objects of failed backups of the location once expired (they have no record), and no other's", async () => {
    const now = Date.now();
    const failed = async (name: string, storageLocation: string, status: Record<string, unknown>) => {
      await client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name }, spec: { storageLocation } } });
      await client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns)}/${name}/status`, contentType: 'application/merge-patch+json', body: { status: { phase: 'Failed', ...status } } });
    };
    await failed('failed-expired', 'primary', { expiration: new Date(now - hour).toISOString() });
    await failed('failed-fresh', 'primary', { expiration: new Date(now + hour).toISOString() });
    await failed('failed-forever', 'primary', { expiration: null });
    await failed('failed-elsewhere', 'secondary', { expiration: new Date(now - hour).toISOString() });
    // Failed before its plan: no expiry, a notice kept for a day.
    await failed('failed-unplanned', 'primary', { completionTimestamp: new Date(now - 2 * orphanMinAgeMs).toISOString() });
    const dry = await kubectlBackup(['gc', '--dry-run'], { kubeconfig: api.kubeconfigPath, env });
    assert.match(dry.stdout, /^ {2}would delete the Backup object of failed backup failed-expired \(expired /m);
    assert.ok((await backupObjects()).includes('failed-expired'), 'a dry run deletes nothing');
    const result = await kubectlBackup(['gc'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^ {2}deleted the Backup object of failed backup failed-unplanned \(expired /m);
    const left = await backupObjects();
    assert.ok(!left.includes('failed-expired') && !left.includes('failed-unplanned'), left.join(','));
    for (const kept of ['failed-fresh', 'failed-forever', 'failed-elsewhere']) assert.ok(left.includes(kept), kept);
    for (const name of ['failed-fresh', 'failed-forever', 'failed-elsewhere']) await client.json({ method: 'DELETE', path: `${ownResourcePath('backups', ns)}/${name}` });
  });

  it('keeps and reports an expired backup that object lock still retains', async () => {
    const lockedUntil = new Date(Date.now() + 2 * hour);
    lockedUntil.setMilliseconds(0);
    await storeBackup(store, 'locked', { expiration: new Date(Date.now() - hour), retention: { mode: 'COMPLIANCE', retainUntil: lockedUntil } });
    const report = await collectGarbage(store, { dryRun: false });
    assert.deepEqual(report.expired, []);
    assert.deepEqual(report.locked, [{ name: 'locked', retainUntil: lockedUntil.toISOString() }]);
    assert.deepEqual(await names(), ['forever', 'locked']);
    const result = await kubectlBackup(['gc'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, new RegExp(`kept backup locked: under object lock retention until ${lockedUntil.toISOString()}`));
  });

  it('aborts the partial uploads of killed writes under the location\'s own directories once a day old, with --dry-run none', async () => {
    const direct: S3Client = testServerClient(s3);
    const leaveUpload = async (key: string, ageMs: number): Promise<void> => {
      s3ClockLagMs = ageMs;
      await leaveIncompleteUpload(direct, s3.bucket, key).finally(() => (s3ClockLagMs = 0));
    };
    await leaveUpload('gc/backups/killed/killed.tar.gz', 48 * hour);
    await leaveUpload('gc/backups/running/running.tar.gz', hour);
    await leaveUpload('gc-other/backups/killed/killed.tar.gz', 48 * hour);
    await leaveUpload('elsewhere/gc/backups/killed/killed.tar.gz', 48 * hour);
    // Another application's, under the location but outside backups/, restores/ and the probes: never ours to abort.
    await leaveUpload('gc/media/another-app.iso', 48 * hour);
    const everything = ['elsewhere/gc/backups/killed/killed.tar.gz', 'gc-other/backups/killed/killed.tar.gz', 'gc/backups/killed/killed.tar.gz', 'gc/backups/running/running.tar.gz', 'gc/media/another-app.iso'];

    const dry = await kubectlBackup(['gc', '--dry-run'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /^ {2}would delete 1 partial upload of writes that never finished$/m);
    const dryLater = await collectGarbage(store, { dryRun: true, now: new Date(Date.now() + orphanMinAgeMs) });
    assert.equal(dryLater.partialUploads, 2, 'a day later the running one counts too');
    assert.deepEqual(await incompleteUploadKeys(direct, s3.bucket), everything, 'a dry run aborts nothing');

    const result = await kubectlBackup(['gc', '-o', 'json'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as { location: string; partialUploads: number }[]).map((r) => [r.location, r.partialUploads]), [['primary', 1]]);
    assert.deepEqual(await incompleteUploadKeys(direct, s3.bucket), everything.filter((key) => key !== 'gc/backups/killed/killed.tar.gz'));

    const again = await kubectlBackup(['gc'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stdout, /partial upload/, 'the running one is not a day old');
    assert.ok((await incompleteUploadKeys(direct, s3.bucket)).includes('gc/backups/running/running.tar.gz'));
  });

  it('removes the partial files of a directory location with the same count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-backup-gc-'));
    try {
      const files = new FileObjectStore(join(dir, 'location'));
      const partials = join(files.root, PARTIAL_DIR);
      await mkdir(partials, { recursive: true });
      for (const name of ['killed', 'running']) await writeFile(join(partials, name), 'partial');
      const twoDaysAgo = new Date(Date.now() - 48 * hour);
      await utimes(join(partials, 'killed'), twoDaysAgo, twoDaysAgo);
      assert.equal((await collectGarbage(files, { dryRun: true })).partialUploads, 1);
      assert.deepEqual((await readdir(partials)).sort(), ['killed', 'running']);
      assert.equal((await collectGarbage(files, { dryRun: false })).partialUploads, 1);
      assert.deepEqual(await readdir(partials), ['running']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports partial uploads it cannot list as a problem of their own, after the expired backups are deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubectl-backup-gc-'));
    try {
      /** A store that cannot list partial uploads: an S3-compatible server without the call, or no permission for it. */
      class NoUploadListing extends FileObjectStore {
        override removeAbandonedWrites(): Promise<number> {
          return Promise.reject(new Error('cannot list the partial uploads: NotImplemented'));
        }
      }
      const files = new NoUploadListing(join(dir, 'location'));
      const now = Date.now();
      await storeBackup(files, 'old', { start: new Date(now - 48 * hour), expiration: new Date(now - hour) });
      const report = await collectGarbage(files, { dryRun: false });
      assert.deepEqual(report.expired.map((b) => b.name), ['old']);
      assert.equal(report.partialUploads, 0);
      assert.equal(report.partialUploadsError, 'cannot list the partial uploads: NotImplemented');
      assert.deepEqual(await new BackupRepository(files).names(), []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('skips ReadOnly locations unless named, and refuses to write to a named one', async () => {
    await createLocation(client, ns, { name: 'archive', url: s3.urlWithPrefix('gc'), credentialsSecret: 's3', default: false, accessMode: 'ReadOnly' });
    const all = await kubectlBackup(['gc', '-o', 'json'], { kubeconfig: api.kubeconfigPath, env });
    assert.deepEqual((JSON.parse(all.stdout) as { location: string }[]).map((r) => r.location), ['primary']);
    const named = await kubectlBackup(['gc', '--storage-location', 'archive'], { kubeconfig: api.kubeconfigPath, env });
    assert.equal(named.code, 2);
    assert.match(named.stderr, /location "archive" is ReadOnly: gc would write to it/);
  });
});
