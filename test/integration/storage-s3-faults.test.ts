import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { verifyArtifact } from '../../src/storage/artifact-integrity.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import { StorageError } from '../../src/storage/storage-errors.js';
import type { FaultKind } from '../s3/fault-injector.js';
import type { LoggedRequest } from '../s3/request-log.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';
import { bodyOf, keysOf, readAll } from './storage-store-fixtures.js';

const MIB = 1024 * 1024;

function body(bytes: number): Readable {
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= bytes) return void this.push(null);
      const size = Math.min(64 * 1024, bytes - produced);
      this.push(Buffer.alloc(size, (produced / 4096) % 256));
      produced += size;
    },
  });
}

describe('S3 object store under injected faults', function () {
  this.timeout(60_000);
  let server: S3TestServer;
  let store: ObjectStore;
  let prefixCount = 0;

  before(async () => {
    server = await startS3Server({ writeOnce: true });
  });
  after(() => server.close());
  beforeEach(() => {
    prefixCount++;
    store = openObjectStore(server.urlWithPrefix(`f${prefixCount}`), { ...server.env }, { maxAttempts: 4, partSize: 5 * MIB, queueSize: 2, listPageSize: 2 });
    server.faults.clear();
    server.clearLog();
  });

  const faulted = (operation: string): LoggedRequest[] => server.requestLog.filter((request) => request.operation === operation && request.fault !== undefined);
  const succeeded = (operation: string): LoggedRequest[] => server.requestLog.filter((request) => request.operation === operation && request.status >= 200 && request.status < 300);

  for (const kind of [500, 503, 'SlowDown', 'reset'] as FaultKind[]) {
    it(`retries a PutObject that gets ${kind} twice`, async () => {
      const fault = server.faults.inject({ kind, times: 2, operation: 'PutObject' });
      const stored = await store.put('backups/b/kubectl-backup.json', bodyOf('{"record":true}'));
      assert.equal(fault.hits, 2);
      assert.equal(faulted('PutObject').length, 2);
      assert.equal(succeeded('PutObject').length, 1);
      await verifyArtifact(store, stored);
    });

    it(`retries UploadParts that get ${kind}, mid-multipart`, async () => {
      const fault = server.faults.inject({ kind, times: 3, operation: 'UploadPart' });
      const stored = await store.put('backups/b/b.tar.gz', body(17 * MIB));
      assert.equal(fault.hits, 3);
      assert.equal(succeeded('UploadPart').length, 4);
      assert.equal(succeeded('CompleteMultipartUpload').length, 1);
      await verifyArtifact(store, stored);
    });
  }

  it('reads, inspects and lists through faults', async () => {
    await store.put('backups/b/1', bodyOf('one'));
    await store.put('backups/b/2', bodyOf('two'));
    await store.put('backups/b/3', bodyOf('three'));
    server.faults.inject({ kind: 'reset', operation: 'GetObject' });
    server.faults.inject({ kind: 503, operation: 'HeadObject' });
    server.faults.inject({ kind: 'SlowDown', operation: 'ListObjectsV2' });
    server.faults.inject({ kind: 500, operation: 'ListObjectsV2' });
    assert.equal((await readAll(await store.get('backups/b/2'))).toString(), 'two');
    assert.equal((await store.head('backups/b/3'))?.size, 5);
    // Pages of two keys: the second page's request is one of those retried.
    assert.deepEqual(await keysOf(store, 'backups/'), ['backups/b/1', 'backups/b/2', 'backups/b/3']);
    assert.equal(server.faults.pending.length, 0);
  });

  /** Writes a small and a multipart object, each losing the answer to its first write. */
  async function writeLosingAnswers(target: S3TestServer, into: ObjectStore): Promise<void> {
    target.faults.inject({ kind: 'lose-response', operation: 'PutObject' });
    const small = await into.put('backups/b/small', bodyOf('small body'));
    target.faults.inject({ kind: 'lose-response', operation: 'CompleteMultipartUpload' });
    const large = await into.put('backups/b/large', body(12 * MIB));
    // The retry was refused as a second write: only the object itself showed it was ours.
    assert.deepEqual(
      target.requestLog.filter((request) => request.operation === 'PutObject' || request.operation === 'CompleteMultipartUpload').map((request) => request.status),
      [0, 412, 0, 412],
    );
    await verifyArtifact(into, small);
    await verifyArtifact(into, large);
  }

  it('recognises its own object when the answer to a write was lost', async () => {
    await writeLosingAnswers(server, store);
  });

  it('recognises its own object when the answer to a write was lost, where ETags are no MD5 (SSE-KMS)', async () => {
    const kms = await startS3Server({ writeOnce: true, opaqueEtags: true });
    try {
      const kmsStore = openObjectStore(kms.urlWithPrefix('kms'), { ...kms.env }, { maxAttempts: 4, partSize: 5 * MIB });
      await writeLosingAnswers(kms, kmsStore);
      await assert.rejects(kmsStore.put('backups/b/small', bodyOf('another body')), /already exists/);
    } finally {
      await kms.close();
    }
  });

  it('still refuses a write over an object that is not its own', async () => {
    await store.put('backups/b/x', bodyOf('the first writer'));
    await assert.rejects(store.put('backups/b/x', bodyOf('the second')), /already exists/);
  });

  it('gives up after the last attempt with an error saying what failed, without credentials', async () => {
    server.faults.inject({ kind: 500, times: 100, operation: 'PutObject' });
    const err = await store.put('backups/b/kubectl-backup.json', bodyOf('x')).then(
      () => assert.fail('the put should fail'),
      (error: unknown) => error as Error & { exitCode?: number },
    );
    assert.ok(err instanceof StorageError, String(err));
    assert.equal(err.exitCode, 1);
    assert.equal(
      err.message,
      `cannot write "backups/b/kubectl-backup.json" in s3://${server.bucket}/f${prefixCount}?region=us-east-1&endpoint=${server.endpoint}&forcePathStyle=true: ` +
        'InternalError: We encountered an internal error. Please try again. (HTTP 500, after 4 attempts)',
    );
    assert.ok(!err.message.includes('S3RVER'));
    assert.equal(faulted('PutObject').length, 4);
  });

  it('names a broken connection after the last attempt', async () => {
    server.faults.inject({ kind: 'reset', times: 100, operation: 'UploadPart' });
    await assert.rejects(store.put('backups/b/b.tar.gz', body(11 * MIB)), (err: Error) => {
      assert.ok(err instanceof StorageError, String(err));
      assert.match(err.message, /^cannot write "backups\/b\/b\.tar\.gz" in s3:\/\/.*: (ECONNRESET|EPIPE|socket hang up|write EPIPE|read ECONNRESET)/);
      assert.match(err.message, /after 4 attempts/);
      assert.ok(!err.message.includes('S3RVER'));
      return true;
    });
    assert.equal(await store.head('backups/b/b.tar.gz'), undefined);
    assert.ok(server.requestLog.some((request) => request.operation === 'AbortMultipartUpload'), 'the failed upload is aborted');
    assert.equal(await store.removeAbandonedWrites?.(new Date(Date.now() + 60_000), { dryRun: true }), 0, 'no partial upload is left');
  });

  it('says when the bucket does not exist', async () => {
    const missing = openObjectStore(server.url.replace(`s3://${server.bucket}`, 's3://no-such-bucket'), { ...server.env }, { maxAttempts: 1 });
    await assert.rejects(missing.put('k', bodyOf('x')), /^StorageError: cannot write "k" in s3:\/\/no-such-bucket\?.*: NoSuchBucket: The specified bucket does not exist \(HTTP 404\)$/);
    await assert.rejects(missing.get('k'), /NoSuchBucket/);
    await assert.rejects(keysOf(missing), /cannot list "\/" in s3:\/\/no-such-bucket\?.*: NoSuchBucket/);
  });

  it('says when the credentials are refused, without them', async () => {
    const wrong = openObjectStore(server.url, { AWS_ACCESS_KEY_ID: 'WRONGKEYID', AWS_SECRET_ACCESS_KEY: 'wrong-secret-value' }, { maxAttempts: 1 });
    await assert.rejects(wrong.put('k', bodyOf('x')), (err: Error) => {
      assert.ok(err instanceof StorageError, String(err));
      assert.ok(!err.message.includes('wrong-secret-value'), err.message);
      return true;
    });
  });
});
