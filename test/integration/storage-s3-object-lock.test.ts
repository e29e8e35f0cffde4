import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Readable } from 'node:stream';
import { BackupDeleter } from '../../src/backup-records/delete-backups.js';
import { collectGarbage } from '../../src/gc/collect-garbage.js';
import { checkLocation } from '../../src/location/check-location.js';
import { silentLogger } from '../../src/log/logger.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore, Retention } from '../../src/storage/object-store.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { ObjectLockedError } from '../../src/storage/storage-errors.js';
import { storeBackup } from '../builders/stored-backup.js';
import { S3_TEST_CREDENTIALS, startS3Server, type S3TestServer } from '../s3/s3-test-server.js';

const MIB = 1024 * 1024;

function generatedBody(size: number): Readable {
  let left = size;
  return new Readable({
    read() {
      const n = Math.min(left, 256 * 1024);
      left -= n;
      this.push(n > 0 ? Buffer.alloc(n, 'k') : null);
    },
  });
}

describe('S3 object store: a bucket with Object Lock enabled', function () {
  this.timeout(30_000);

  describe('with a default retention, written by a location without --object-lock', () => {
    let server: S3TestServer;
    let store: ObjectStore;

    before(async () => {
      server = await startS3Server({ writeOnce: true, defaultRetention: { mode: 'GOVERNANCE', days: 30 } });
      store = openObjectStore(server.urlWithPrefix('default-lock'), { ...server.env }, { maxAttempts: 2 });
    });
    after(() => server.close());

    it('writes small and multipart objects, each part with the checksum S3 demands under Object Lock', async () => {
      server.clearLog();
      await store.put('backups/b/b-logs.gz', Readable.from([Buffer.from('log')]));
      await store.put('backups/b/b.tar.gz', generatedBody(12 * MIB));
      const bodies = server.requestLog.filter((request) => request.operation === 'PutObject' || request.operation === 'UploadPart');
      assert.deepEqual(
        bodies.map((request) => [request.operation, request.status]),
        [
          ['PutObject', 200],
          ['UploadPart', 200],
          ['UploadPart', 200],
        ],
      );
      assert.equal((await store.head('backups/b/b.tar.gz'))?.size, 12 * MIB);
      assert.equal((await store.head('backups/b/b-logs.gz'))?.retention?.mode, 'GOVERNANCE');
    });

    it('passes location check, saying the probe is kept under the default retention', async () => {
      const steps = await checkLocation(store, { readOnly: false });
      assert.deepEqual(steps.map((s) => [s.step, s.ok]), [['write', true], ['read', true], ['list', true], ['delete', true]]);
      assert.match(steps[3]!.detail ?? '', /^kept: the bucket locked it on write until \d{4}-.*Z \(a default retention\); it goes once that ends$/);
    });
  });

  describe('deleting from a location with --object-lock: every version goes, once its retention has passed', () => {
    let server: S3TestServer;
    let count = 0;
    let prefix: string;
    let store: ObjectStore;

    before(async () => {
      server = await startS3Server({ writeOnce: true, objectLock: true });
    });
    after(() => server.close());
    beforeEach(() => {
      prefix = `versions-${++count}`;
      store = openObjectStore(server.urlWithPrefix(prefix), { ...server.env }, { maxAttempts: 2 });
    });

    /** A retention that ends within the test: what a backup's expiry is, once it has come. */
    const briefly = (): Retention => ({ mode: 'COMPLIANCE', retainUntil: new Date(Date.now() + 1000) });
    const passed = (retention: Retention) => sleep(Math.max(0, retention.retainUntil.getTime() - Date.now() + 50));
    const versionsLeft = () => server.versions(`${prefix}/`).map((v) => `${v.key.slice(prefix.length + 1)}${v.deleteMarker ? ' (delete marker)' : ''}`);

    it('kubectl backup delete leaves no version of the backup, nor a delete marker', async () => {
      const retention = briefly();
      await storeBackup(store, 'b1', { retention });
      await storeBackup(store, 'b2', { retention: { mode: 'COMPLIANCE', retainUntil: new Date(Date.now() + 86_400_000) } });
      await passed(retention);
      server.clearLog();
      const deleter = new BackupDeleter({ backups: new BackupRepository(store), restores: new RestoreRepository(store), logger: silentLogger });
      const [outcome] = await deleter.delete([{ name: 'b1', stored: true }]);
      assert.equal(outcome?.result, 'deleted');
      assert.equal(outcome?.removed.length, 5);
      assert.deepEqual(versionsLeft().filter((key) => key.startsWith('backups/b1/')), []);
      assert.deepEqual(server.hiddenVersions(), []);
      assert.ok(server.requestLog.filter((r) => r.operation === 'DeleteObject').every((r) => r.query.versionId !== undefined), 'each delete names its version');
      assert.equal(versionsLeft().filter((key) => key.startsWith('backups/b2/')).length, 5, 'the other backup is untouched');
    });

    it('gc leaves no version of an expired backup or of an orphan', async () => {
      const retention = briefly();
      await storeBackup(store, 'expired', { retention, start: new Date(Date.now() - 2 * 86_400_000), expiration: new Date(Date.now() - 86_400_000) });
      await store.put(backupKeys('dead').archive, Readable.from([Buffer.from('partial archive')]), { retention });
      await passed(retention);
      const report = await collectGarbage(store, { dryRun: false, now: new Date(Date.now() + 25 * 3_600_000) });
      assert.deepEqual(report.expired.map((e) => e.name), ['expired']);
      assert.deepEqual(report.orphans.map((o) => o.name), ['dead']);
      assert.deepEqual(versionsLeft(), []);
      assert.deepEqual(server.hiddenVersions(), []);
    });

    it('removes versions an earlier plain delete hid behind a delete marker', async () => {
      const retention = briefly();
      const key = backupKeys('old').archive;
      await store.put(key, Readable.from([Buffer.from('hidden data')]), { retention });
      const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true, credentials: S3_TEST_CREDENTIALS, maxAttempts: 1 });
      await s3.send(new DeleteObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${key}` }));
      assert.deepEqual(versionsLeft(), [`${key} (delete marker)`, key]);
      await passed(retention);
      await store.delete(key);
      assert.deepEqual(versionsLeft(), []);
    });

    it('refuses a version still under retention with its date, and keeps it', async () => {
      const retainUntil = new Date(Date.now() + 86_400_000);
      retainUntil.setUTCMilliseconds(0);
      const key = backupKeys('kept').archive;
      await store.put(key, Readable.from([Buffer.from('kept data')]), { retention: { mode: 'COMPLIANCE', retainUntil } });
      const s3 = new S3Client({ region: 'us-east-1', endpoint: server.endpoint, forcePathStyle: true, credentials: S3_TEST_CREDENTIALS, maxAttempts: 1 });
      await s3.send(new DeleteObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${key}` }));
      await assert.rejects(store.delete(key), (err: Error) => {
        assert.ok(err instanceof ObjectLockedError, String(err));
        assert.equal(err.retainUntil?.getTime(), retainUntil.getTime());
        return true;
      });
      assert.ok(versionsLeft().includes(key), 'the retained version stays');
    });
  });
});
