import { AbortMultipartUploadCommand, ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { parseLocationUrl, type S3LocationUrl } from '../../src/storage/location-url.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openObjectStore, s3ClientConfig } from '../../src/storage/open-object-store.js';
import { S3ObjectStore } from '../../src/storage/s3-object-store.js';
import { StorageError } from '../../src/storage/storage-errors.js';
import { incompleteUploadKeys, leaveIncompleteUpload, testServerClient } from '../builders/incomplete-upload.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';

const day = 86_400_000;

describe('S3 object store: partial uploads that killed writes left', function () {
  this.timeout(30_000);
  const start = new Date('2024-06-10T12:00:00.000Z');
  let clock = start;
  let server: S3TestServer;
  let s3: S3Client;
  const Bucket = 'test-bucket';

  /** An incomplete multipart upload initiated at `at`. */
  async function leaveUpload(key: string, at: Date): Promise<void> {
    clock = at;
    await leaveIncompleteUpload(s3, Bucket, key);
    clock = start;
  }
  const uploadsLeft = (): Promise<string[]> => incompleteUploadKeys(s3, Bucket);

  const storeAt = (prefix: string, listPageSize = 1000): ObjectStore =>
    openObjectStore(prefix ? server.urlWithPrefix(prefix) : server.url, { ...server.env }, { maxAttempts: 2, listPageSize });
  const requests = (operation: 'ListMultipartUploads' | 'AbortMultipartUpload') => server.requestLog.filter((request) => request.operation === operation);

  beforeEach(async () => {
    clock = start;
    server = await startS3Server({ now: () => clock });
    s3 = testServerClient(server);
    await leaveUpload('loc/backups/old/old.tar.gz', new Date(start.getTime() - 2 * day));
    await leaveUpload('loc/restores/r/restore-r-logs.gz', new Date(start.getTime() - 3 * day));
    await leaveUpload('loc/backups/fresh/fresh.tar.gz', new Date(start.getTime() - 3_600_000));
    await leaveUpload('loc-other/backups/b/b.tar.gz', new Date(start.getTime() - 2 * day));
    await leaveUpload('other/loc/backups/c/c.tar.gz', new Date(start.getTime() - 2 * day));
    server.clearLog();
  });
  afterEach(() => server.close());

  it('aborts those under its prefix initiated before the date, and no others', async () => {
    assert.equal(await storeAt('loc').removeAbandonedWrites?.(new Date(start.getTime() - day)), 2);
    assert.deepEqual(requests('ListMultipartUploads').map((request) => request.query.prefix), ['loc/'], 'listed under "loc/", so never "loc-other/"');
    assert.deepEqual(requests('AbortMultipartUpload').map((request) => request.key).sort(), ['loc/backups/old/old.tar.gz', 'loc/restores/r/restore-r-logs.gz']);
    assert.deepEqual(await uploadsLeft(), ['loc-other/backups/b/b.tar.gz', 'loc/backups/fresh/fresh.tar.gz', 'other/loc/backups/c/c.tar.gz']);
  });

  it('with dryRun counts them and aborts nothing', async () => {
    assert.equal(await storeAt('loc').removeAbandonedWrites?.(new Date(start.getTime() - day), { dryRun: true }), 2);
    assert.deepEqual(requests('AbortMultipartUpload'), []);
    assert.equal((await uploadsLeft()).length, 5);
  });

  it('pages through the listing, however many pages it takes', async () => {
    for (let i = 0; i < 5; i++) await leaveUpload(`loc/backups/many-${i}/many-${i}.tar.gz`, new Date(start.getTime() - 2 * day));
    // Two uploads of one key may straddle a page boundary.
    await leaveUpload('loc/backups/old/old.tar.gz', new Date(start.getTime() - 4 * day));
    server.clearLog();
    assert.equal(await storeAt('loc', 2).removeAbandonedWrites?.(new Date(start.getTime() - day)), 8);
    const lists = requests('ListMultipartUploads');
    assert.equal(lists.length, 5, '9 uploads under the prefix, 2 a page');
    assert.ok(lists.every((request) => request.query['max-uploads'] === '2'));
    assert.deepEqual(await uploadsLeft(), ['loc-other/backups/b/b.tar.gz', 'loc/backups/fresh/fresh.tar.gz', 'other/loc/backups/c/c.tar.gz']);
  });

  it('takes the whole bucket for a location at its root', async () => {
    assert.equal(await storeAt('').removeAbandonedWrites?.(new Date(start.getTime() - day)), 4);
    assert.equal(requests('ListMultipartUploads')[0]?.query.prefix, undefined);
    assert.deepEqual(await uploadsLeft(), ['loc/backups/fresh/fresh.tar.gz']);
  });

  it('takes only the directories it is told to, for a location at the root of a bucket shared with others', async () => {
    await leaveUpload('backups/root/root.tar.gz', new Date(start.getTime() - 2 * day));
    await leaveUpload('restores/r/restore-r-logs.gz', new Date(start.getTime() - 2 * day));
    await leaveUpload('backupsx/not-ours.bin', new Date(start.getTime() - 2 * day));
    await leaveUpload('media/another-app.iso', new Date(start.getTime() - 2 * day));
    server.clearLog();
    assert.equal(await storeAt('').removeAbandonedWrites?.(new Date(start.getTime() - day), { within: ['backups/', 'restores/'] }), 2);
    assert.deepEqual(requests('ListMultipartUploads').map((request) => request.query.prefix), ['backups/', 'restores/']);
    assert.deepEqual(requests('AbortMultipartUpload').map((request) => request.key).sort(), ['backups/root/root.tar.gz', 'restores/r/restore-r-logs.gz']);
  });

  it('counts an upload whose abort landed but whose answer was lost, once', async () => {
    server.faults.inject({ kind: 'lose-response', operation: 'AbortMultipartUpload', key: 'loc/backups/old/old.tar.gz' });
    assert.equal(await storeAt('loc').removeAbandonedWrites?.(new Date(start.getTime() - day)), 2);
    assert.deepEqual(
      requests('AbortMultipartUpload').map((request) => [request.key, request.status]),
      [
        ['loc/backups/old/old.tar.gz', 0],
        ['loc/backups/old/old.tar.gz', 404],
        ['loc/restores/r/restore-r-logs.gz', 204],
      ],
    );
  });

  it('does not count an upload that ended elsewhere between listing and abort', async () => {
    const location = parseLocationUrl(server.urlWithPrefix('loc')) as S3LocationUrl;
    const client = new S3Client(s3ClientConfig(location, { ...server.env }, { maxAttempts: 1 }));
    // Another gc aborts one of the listed uploads just after this one's listing.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const result = await next(args);
        if (context.commandName === 'ListMultipartUploadsCommand') await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'loc/backups/old/old.tar.gz', UploadId: await uploadIdOf('loc/backups/old/old.tar.gz') }));
        return result;
      },
      { step: 'initialize' },
    );
    const store = new S3ObjectStore(client, { bucket: location.bucket, prefix: location.prefix });
    assert.equal(await store.removeAbandonedWrites(new Date(start.getTime() - day)), 1);
    assert.deepEqual(await uploadsLeft(), ['loc-other/backups/b/b.tar.gz', 'loc/backups/fresh/fresh.tar.gz', 'other/loc/backups/c/c.tar.gz']);
  });

  it('says what failed, through the usual error mapping and without credentials', async () => {
    server.faults.inject({ kind: 500, times: 10, operation: 'ListMultipartUploads' });
    const store = storeAt('loc');
    await assert.rejects(store.removeAbandonedWrites?.(new Date(start.getTime() - day)) ?? Promise.resolve(), (err: Error & { exitCode?: number }) => {
      assert.ok(err instanceof StorageError, String(err));
      assert.equal(err.exitCode, 1);
      assert.equal(
        err.message,
        `cannot list the partial uploads in ${store.describe()}: InternalError: We encountered an internal error. Please try again. (HTTP 500, after 2 attempts)`,
      );
      assert.ok(!err.message.includes('S3RVER'));
      return true;
    });
    server.faults.clear();
    server.faults.inject({ kind: 503, times: 10, operation: 'AbortMultipartUpload' });
    await assert.rejects(
      store.removeAbandonedWrites?.(new Date(start.getTime() - day)) ?? Promise.resolve(),
      /^StorageError: cannot abort the partial upload of "backups\/old\/old\.tar\.gz" in s3:\/\/test-bucket\/loc\?.*: ServiceUnavailable: .* \(HTTP 503, after 2 attempts\)$/,
    );
  });

  async function uploadIdOf(key: string): Promise<string> {
    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: key }));
    return listed.Uploads?.find((upload) => upload.Key === key)?.UploadId ?? '';
  }
});
