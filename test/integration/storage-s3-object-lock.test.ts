import { DeleteObjectCommand } from '@aws-sdk/client-s3';
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
import { testServerClient } from '../builders/incomplete-upload.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';

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

    it('passes location check with --object-lock, the bucket saying it has Object Lock', async () => {
      server.clearLog();
      const steps = await checkLocation(store, { readOnly: false, objectLock: 'COMPLIANCE' });
      assert.deepEqual(steps.map((s) => [s.step, s.ok]), [['write', true], ['read', true], ['list', true], ['delete', true], ['object-lock', true]]);
      assert.equal(steps[4]!.detail, 'the bucket has Object Lock (default retention GOVERNANCE 30 days); backups are put under COMPLIANCE retention until they expire');
      const put = server.requestLog.find((r) => r.operation === 'PutObject');
      assert.ok(put, 'the probe was written');
      assert.equal(put.headers.objectLockMode, undefined, 'the probe carries no retention of its own');
    });
  });

  describe('location check with --object-lock', () => {
    it('fails on a bucket without Object Lock, which would refuse every backup, and passes on one with it', async () => {
      const plain = await startS3Server({ writeOnce: true });
      const locked = await startS3Server({ writeOnce: true, objectLock: true });
      try {
        const open = (s: S3TestServer) => openObjectStore(s.urlWithPrefix('check'), { ...s.env }, { maxAttempts: 2 });
        const refused = await checkLocation(open(plain), { readOnly: false, objectLock: 'GOVERNANCE' });
        assert.deepEqual(refused.map((s) => [s.step, s.ok]), [['write', true], ['read', true], ['list', true], ['delete', true], ['object-lock', false]]);
        assert.match(refused[4]!.detail ?? '', /^the bucket has no Object Lock/);
        const passed = await checkLocation(open(locked), { readOnly: false, objectLock: 'GOVERNANCE' });
        assert.deepEqual(passed.map((s) => [s.step, s.ok, s.detail]).slice(3), [
          ['delete', true, `removed ${passed[0]!.detail!.replace(/^\d+ bytes to /, '')}`],
          ['object-lock', true, 'the bucket has Object Lock; backups are put under GOVERNANCE retention until they expire'],
        ]);
        // On a versioned bucket the probe's delete takes its version too: nothing is left.
        assert.deepEqual(locked.versions(), []);
      } finally {
        await Promise.all([plain.close(), locked.close()]);
      }
    });

    it('fails when the bucket cannot say, naming the permission that reads it', async () => {
      const server = await startS3Server({ writeOnce: true, objectLock: true });
      try {
        server.faults.inject({ operation: 'GetObjectLockConfiguration', kind: 500, times: 2 });
        const steps = await checkLocation(openObjectStore(server.urlWithPrefix('check'), { ...server.env }, { maxAttempts: 2 }), { readOnly: false, objectLock: 'GOVERNANCE' });
        assert.equal(steps[4]?.ok, false);
        assert.match(steps[4]?.detail ?? '', /^cannot read the Object Lock configuration of the bucket in s3:\/\/test-bucket\/check\?.*: InternalError.*; reading it needs the permission s3:GetBucketObjectLockConfiguration$/);
      } finally {
        await server.close();
      }
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
      const s3 = testServerClient(server);
      await s3.send(new DeleteObjectCommand({ Bucket: server.bucket, Key: `${prefix}/${key}` }));
      assert.deepEqual(versionsLeft(), [`${key} (delete marker)`, key]);
      await passed(retention);
      await store.delete(key);
      assert.deepEqual(versionsLeft(), []);
    });

    it('says which permissions a versioned delete needs when the versions cannot be listed', async () => {
      const key = backupKeys('unlisted').archive;
      await store.put(key, Readable.from([Buffer.from('data')]));
      server.faults.inject({ operation: 'ListObjectVersions', kind: 500, times: 2 });
      await assert.rejects(store.delete(key), /^StorageError: cannot list the versions of "backups\/unlisted\/unlisted.tar.gz" in .*; the bucket is versioned: removing an object's data there needs the permissions s3:ListBucketVersions and s3:DeleteObjectVersion$/);
      assert.deepEqual(versionsLeft(), [key], 'nothing was deleted');
    });

    it('refuses a version still under retention with its date, and keeps it', async () => {
      const retainUntil = new Date(Date.now() + 86_400_000);
      retainUntil.setUTCMilliseconds(0);
      const key = backupKeys('kept').archive;
      await store.put(key, Readable.from([Buffer.from('kept data')]), { retention: { mode: 'COMPLIANCE', retainUntil } });
      const s3 = testServerClient(server);
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
