import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import type { KubeClient } from '../../src/kube/client.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { silentLogger } from '../../src/log/logger.js';
import { createRestore } from '../../src/restore/restore-service.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import { ArtifactIntegrityError } from '../../src/storage/storage-errors.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { fastClient, MemoryLogger } from '../builders/backup-run.js';
import { backupArchive } from '../builders/restore-archive.js';
import { configMap, namespaceItem } from '../builders/restore-objects.js';
import { restoreRequest } from '../builders/restore-request.js';
import { storeBackup } from '../builders/stored-backup.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';

/**
 * A restore reads its archive as it downloads: from S3, the parse runs while the GET streams,
 * and the checksum, known only at the end of the body, still decides before anything is created.
 */
describe('restore from S3 (S3 and API test servers)', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let s3: S3TestServer;
  let client: KubeClient;
  let store: ObjectStore;
  const count = 3000;

  before(async () => {
    [api, s3] = await Promise.all([startTestApiServer(), startS3Server({ writeOnce: false })]);
    client = await fastClient(api.kubeconfigPath);
    store = openObjectStore(s3.urlWithPrefix('restores'), { ...s3.env }, { maxAttempts: 2 });
  });
  after(async () => {
    await Promise.all([api.close(), s3.close()]);
  });

  /** A backup of `count` ConfigMaps of incompressible data in namespace `ns`: an archive of megabytes. */
  async function backupOf(name: string, ns: string): Promise<BackupRecord> {
    const objects = [namespaceItem(ns), ...Array.from({ length: count }, (_, i) => configMap(ns, `cm-${i}`, { payload: randomBytes(900).toString('base64') }))];
    return storeBackup(store, name, { archive: await backupArchive(objects) });
  }

  const restore = (backup: BackupRecord, ns: string, to: string) =>
    createRestore(restoreRequest(backup.metadata.name, { namespaceMappings: new Map([[ns, to]]) }), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 's3 test store', logger: silentLogger });

  const creates = () => api.requestLog.list().filter((e) => e.method === 'POST');

  it('restores every item of an archive streamed from S3', async () => {
    const backup = await backupOf('whole', 'src');
    const archive = backup.status.artifacts.find((a) => a.key === backupKeys('whole').archive)!;
    assert.ok(archive.size > 2 * 1024 * 1024, `the archive is large enough to arrive in many chunks (${archive.size} bytes)`);
    const result = await restore(backup, 'src', 'copy');
    assert.equal(result.record?.status.phase, 'Completed');
    assert.equal(result.record?.status.counts.created, count + 1);
    assert.equal((await getIfExists<{ data: { payload: string } }>(client, `/api/v1/namespaces/copy/configmaps/cm-${count - 1}`))?.data.payload.length, 1200);
  });

  it('creates nothing when the archive in S3 was damaged, and says its checksum is wrong', async () => {
    const backup = await backupOf('damaged', 'bad');
    const key = backupKeys('damaged').archive;
    const bytes = Buffer.concat(await (await store.get(key)).toArray());
    // Damage in the middle: gzip or tar may break before the end, where the checksum is known.
    for (let i = bytes.length >> 1; i < (bytes.length >> 1) + 64; i++) bytes[i] = bytes[i]! ^ 0xa5;
    await store.delete(key);
    await store.put(key, Readable.from([bytes]));
    api.requestLog.clear();
    await assert.rejects(restore(backup, 'bad', 'bad-copy'), (err: unknown) => {
      assert.ok(err instanceof ArtifactIntegrityError, String(err));
      assert.match(err.message, new RegExp(`artifact "${key}" failed its integrity check: its sha256 is`));
      return true;
    });
    assert.deepEqual(creates(), []);
  });

  describe('to a location with --object-lock', () => {
    let locked: S3TestServer;
    let lockedStore: ObjectStore;

    before(async () => {
      locked = await startS3Server({ writeOnce: true, objectLock: true });
      lockedStore = openObjectStore(locked.urlWithPrefix('locked'), { ...locked.env }, { maxAttempts: 2 });
    });
    after(() => locked.close());

    const smallArchive = () => backupArchive([namespaceItem('shop'), configMap('shop', 'settings', { colour: 'blue' })]);
    const restoreLocked = (backup: BackupRecord, name: string, logger = new MemoryLogger()) =>
      createRestore(restoreRequest(backup.metadata.name, { name, namespaceMappings: new Map([['shop', name]]) }), backup, {
        client,
        clusterVersion: 'v1.32.0',
        store: lockedStore,
        locationLabel: 'location "locked"',
        logger,
        objectLock: 'COMPLIANCE',
      });

    it("puts the restore's artifacts and record under the location's retention, until the backup's expiry", async () => {
      const expiration = new Date(Date.now() + 10 * 86_400_000);
      expiration.setUTCMilliseconds(0);
      const backup = await storeBackup(lockedStore, 'kept', { archive: await smallArchive(), expiration, retention: { mode: 'COMPLIANCE', retainUntil: expiration } });
      locked.clearLog();
      const result = await restoreLocked(backup, 'kept-restore');
      assert.equal(result.stored, true);
      const keys = restoreKeys('kept-restore');
      const puts = locked.requestLog.filter((r) => r.operation === 'PutObject' && r.status === 200);
      assert.deepEqual(puts.map((r) => r.key?.replace(/^locked\//, '')).sort(), [keys.logs, keys.record, keys.resourceList, keys.results].sort());
      for (const put of puts) {
        assert.equal(put.headers.objectLockMode, 'COMPLIANCE', put.key);
        assert.equal(new Date(put.headers.objectLockRetainUntilDate ?? '').getTime(), expiration.getTime(), put.key);
      }
      for (const key of [keys.logs, keys.record, keys.resourceList, keys.results]) {
        assert.deepEqual((await lockedStore.head(key))?.retention, { mode: 'COMPLIANCE', retainUntil: expiration }, key);
      }
    });

    it('puts them without a retention of their own when the backup has expired, and says so', async () => {
      const backup = await storeBackup(lockedStore, 'gone', { archive: await smallArchive(), start: new Date(Date.now() - 2 * 86_400_000), expiration: new Date(Date.now() - 86_400_000) });
      const logger = new MemoryLogger();
      const result = await restoreLocked(backup, 'gone-restore', logger);
      assert.equal(result.stored, true);
      assert.equal((await lockedStore.head(restoreKeys('gone-restore').record))?.retention, undefined);
      assert.ok(logger.messages('warn').includes(`backup "gone" has expired: the restore's objects are stored without a retention of their own`), logger.messages('warn').join('\n'));
    });
  });
});
