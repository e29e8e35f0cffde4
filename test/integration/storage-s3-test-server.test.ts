import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  GetObjectLockConfigurationCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { leaveIncompleteUpload } from '../builders/incomplete-upload.js';
import { S3_TEST_CREDENTIALS, startS3Server, type S3TestServer } from '../s3/s3-test-server.js';

/** How the server answered: the S3 error code and HTTP status, or "ok". */
async function outcome(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'ok';
  } catch (err) {
    const { name, $metadata } = err as { name: string; $metadata?: { httpStatusCode?: number } };
    return `${name} ${$metadata?.httpStatusCode ?? ''}`.trim();
  }
}

function clientFor(server: S3TestServer, maxAttempts = 1): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: S3_TEST_CREDENTIALS,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts,
  });
}

describe('S3 test server', function () {
  this.timeout(30_000);
  let clock = new Date();
  let server: S3TestServer;
  let s3: S3Client;
  const Bucket = 'test-bucket';

  before(async () => {
    server = await startS3Server({ writeOnce: true, now: () => clock });
    s3 = clientFor(server);
  });
  after(() => server.close());
  beforeEach(() => {
    clock = new Date();
    server.clearLog();
    server.faults.clear();
  });

  it('serves on loopback with a URL for the code under test, credentials left out', () => {
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(server.url, `s3://${Bucket}?endpoint=${server.endpoint}&forcePathStyle=true&region=us-east-1`);
    assert.equal(server.urlWithPrefix('p/q'), `s3://${Bucket}/p/q?endpoint=${server.endpoint}&forcePathStyle=true&region=us-east-1`);
    assert.ok(!server.url.includes('S3RVER'));
    assert.deepEqual(server.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  });

  describe('write-once mode', () => {
    it('refuses a second PutObject of a key with 403 AccessDenied', async () => {
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'wo/a', Body: 'one' }))), 'ok');
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'wo/a', Body: 'two' }))), 'AccessDenied 403');
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'wo/a' }));
      assert.equal(await got.Body?.transformToString(), 'one');
    });

    it('refuses a conditional write of an existing key with 412 PreconditionFailed', async () => {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'wo/b', Body: 'one', IfNoneMatch: '*' }));
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'wo/b', Body: 'two', IfNoneMatch: '*' }))), 'PreconditionFailed 412');
    });

    it('refuses CopyObject and CompleteMultipartUpload onto an existing key', async () => {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'wo/c', Body: 'one' }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'wo/d', Body: 'other' }));
      assert.equal(await outcome(s3.send(new CopyObjectCommand({ Bucket, Key: 'wo/c', CopySource: `${Bucket}/wo/d` }))), 'AccessDenied 403');
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'wo/c' }));
      const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'wo/c', UploadId, PartNumber: 1, Body: 'part' }));
      assert.equal(
        await outcome(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'wo/c', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }))),
        'AccessDenied 403',
      );
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'wo/c' }));
      assert.equal(await got.Body?.transformToString(), 'one');
    });

    it('refuses a write of a key another write is still writing with 409 ConditionalRequestConflict', async () => {
      const slow = new PassThrough();
      const first = s3.send(new PutObjectCommand({ Bucket, Key: 'wo/race', Body: slow, ContentLength: 4 }));
      slow.write('sl');
      while (!server.requestLog.some((request) => request.key === 'wo/race')) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'wo/race', Body: 'fast' }))), 'ConditionalRequestConflict 409');
      slow.end('ow');
      assert.equal(await outcome(first), 'ok');
    });

    it('allows writes again once the key is deleted', async () => {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'wo/e', Body: 'one' }));
      await s3.send(new DeleteObjectCommand({ Bucket, Key: 'wo/e' }));
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'wo/e', Body: 'two' }))), 'ok');
    });
  });

  it('lets a server without write-once overwrite, but still honours If-None-Match', async () => {
    const open = await startS3Server();
    try {
      const client = clientFor(open);
      await client.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
      assert.equal(await outcome(client.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }))), 'ok');
      assert.equal(await outcome(client.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'three', IfNoneMatch: '*' }))), 'PreconditionFailed 412');
    } finally {
      await open.close();
    }
  });

  describe('object lock', () => {
    const lock = (mode: 'GOVERNANCE' | 'COMPLIANCE', days: number) => ({
      ObjectLockMode: mode,
      ObjectLockRetainUntilDate: new Date(clock.getTime() + days * 86_400_000),
      // S3 takes an object-lock write only with Content-MD5 or a checksum.
      ChecksumAlgorithm: 'CRC32' as const,
    });

    it('refuses a write under object lock that carries neither Content-MD5 nor a checksum, with 400', async () => {
      const { ChecksumAlgorithm: _none, ...bare } = lock('COMPLIANCE', 3);
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'lock/bare', Body: 'x', ...bare }))), 'InvalidRequest 400');
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'lock/bare-mp', ...lock('COMPLIANCE', 3) }));
      assert.equal(await outcome(s3.send(new UploadPartCommand({ Bucket, Key: 'lock/bare-mp', UploadId, PartNumber: 1, Body: 'part' }))), 'InvalidRequest 400');
      await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'lock/bare-mp', UploadId }));
      assert.equal((await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'lock/bare' }))).KeyCount ?? 0, 0);
    });

    it('keeps the retention of a write and shows it on HeadObject', async () => {
      const retention = lock('COMPLIANCE', 3);
      await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/a', Body: 'x', ...retention }));
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'lock/a' }));
      assert.equal(head.ObjectLockMode, 'COMPLIANCE');
      assert.equal(head.ObjectLockRetainUntilDate?.getTime(), retention.ObjectLockRetainUntilDate.getTime());
    });

    it('refuses a delete of the version before the retain-until date with 403, and allows it after', async () => {
      const { VersionId } = await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/b', Body: 'x', ...lock('COMPLIANCE', 1) }));
      assert.ok(VersionId);
      assert.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'lock/b' }))).VersionId, VersionId);
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/b', VersionId }))), 'AccessDenied 403');
      clock = new Date(clock.getTime() + 2 * 86_400_000);
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/b', VersionId }))), 'ok');
      assert.deepEqual(server.hiddenVersions(), []);
    });

    it('takes a delete without a version ID as S3 does: a delete marker hides the object, its data kept', async () => {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/marked', Body: 'x', ...lock('COMPLIANCE', 1) }));
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/marked' }))), 'ok');
      assert.equal(await outcome(s3.send(new HeadObjectCommand({ Bucket, Key: 'lock/marked' }))), 'NotFound 404');
      assert.deepEqual(server.hiddenVersions(), ['lock/marked']);
    });

    it('lists the versions and delete markers it keeps, and deletes each by its ID', async () => {
      const { VersionId } = await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/v', Body: 'x', ...lock('GOVERNANCE', 1) }));
      await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/v-longer', Body: 'y', ...lock('GOVERNANCE', 1) }));
      const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/v' }));
      assert.equal(marker.DeleteMarker, true);
      const listed = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'lock/v' }));
      assert.deepEqual(
        listed.DeleteMarkers?.map((m) => [m.Key, m.VersionId, m.IsLatest]),
        [['lock/v', marker.VersionId, true]],
      );
      assert.deepEqual(
        listed.Versions?.map((v) => [v.Key, v.VersionId === VersionId, v.IsLatest]),
        [
          ['lock/v', true, false],
          ['lock/v-longer', false, true],
        ],
      );
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'lock/v', VersionId }));
      assert.equal(head.ObjectLockMode, 'GOVERNANCE');
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/v', VersionId }))), 'AccessDenied 403');
      clock = new Date(clock.getTime() + 2 * 86_400_000);
      assert.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/v', VersionId: marker.VersionId }))).DeleteMarker, true);
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/v', VersionId }))), 'ok');
      assert.deepEqual(server.versions('lock/v').map((v) => v.key), ['lock/v-longer']);
      assert.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'lock/v-longer' })).then((r) => r.Body?.transformToString())), 'y', 'the current version of another key is untouched');
    });

    it('says whether the bucket has Object Lock', async () => {
      assert.equal(await outcome(s3.send(new GetObjectLockConfigurationCommand({ Bucket }))), 'ObjectLockConfigurationNotFoundError 404');
      const locked = await startS3Server({ objectLock: true });
      try {
        const config = await clientFor(locked).send(new GetObjectLockConfigurationCommand({ Bucket }));
        assert.equal(config.ObjectLockConfiguration?.ObjectLockEnabled, 'Enabled');
      } finally {
        await locked.close();
      }
    });

    it('lets a governance-mode bypass delete, never a compliance-mode one', async () => {
      const gov = await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/gov', Body: 'x', ...lock('GOVERNANCE', 1) }));
      const comp = await s3.send(new PutObjectCommand({ Bucket, Key: 'lock/comp', Body: 'x', ...lock('COMPLIANCE', 1) }));
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/gov', VersionId: gov.VersionId, BypassGovernanceRetention: true }))), 'ok');
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/comp', VersionId: comp.VersionId, BypassGovernanceRetention: true }))), 'AccessDenied 403');
    });

    it('takes the retention of a multipart upload when it completes', async () => {
      const retention = lock('GOVERNANCE', 5);
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'lock/mp', ...retention }));
      const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'lock/mp', UploadId, PartNumber: 1, Body: 'part', ChecksumAlgorithm: 'CRC32' }));
      await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'lock/mp', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'lock/mp' }));
      assert.equal(head.ObjectLockRetainUntilDate?.getTime(), retention.ObjectLockRetainUntilDate.getTime());
      // S3's multipart ETag: md5 of the part md5s, and the part count.
      assert.match(head.ETag ?? '', /^"[0-9a-f]{32}-1"$/);
      assert.equal(await outcome(s3.send(new DeleteObjectCommand({ Bucket, Key: 'lock/mp', VersionId: head.VersionId }))), 'AccessDenied 403');
    });
  });

  it('logs requests with the headers that matter and never the signature', async () => {
    const retainUntil = new Date(clock.getTime() + 86_400_000);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'log/a', Body: 'hello', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: retainUntil, ChecksumAlgorithm: 'CRC32' }));
    await s3.send(new HeadObjectCommand({ Bucket, Key: 'log/a' }));
    const [put, head] = server.requestLog;
    assert.equal(put?.operation, 'PutObject');
    assert.equal(put?.method, 'PUT');
    assert.equal(put?.bucket, Bucket);
    assert.equal(put?.key, 'log/a');
    assert.equal(put?.status, 200);
    assert.equal(put?.headers.objectLockMode, 'GOVERNANCE');
    assert.equal(put?.headers.objectLockRetainUntilDate, retainUntil.toISOString());
    assert.equal(put?.headers.contentLength, 5);
    assert.equal(put?.accessKeyId, 'S3RVER');
    assert.equal(head?.operation, 'HeadObject');
    const text = JSON.stringify(server.requestLog);
    assert.ok(!/Signature=|authorization/i.test(text), text);
  });

  it('pages ListObjectsV2 in key order', async () => {
    for (const key of ['page/b/y', 'page/b-x/z', 'page/a', 'page/b/a/deep', 'page/c']) await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: key }));
    const keys: string[] = [];
    let ContinuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'page/', MaxKeys: 2, ContinuationToken }));
      keys.push(...(page.Contents ?? []).map((object) => object.Key ?? ''));
      ContinuationToken = page.NextContinuationToken;
      pages++;
    } while (ContinuationToken);
    assert.deepEqual(keys, ['page/a', 'page/b-x/z', 'page/b/a/deep', 'page/b/y', 'page/c']);
    assert.equal(pages, 3);
  });

  describe('multipart uploads in progress', () => {
    const start = (key: string): Promise<string> => leaveIncompleteUpload(s3, Bucket, key);
    /** Every upload under the prefix, page by page, in listing order. */
    const listAll = async (Prefix: string, MaxUploads: number): Promise<{ keys: string[]; ids: string[]; initiated: string[]; pages: number }> => {
      const keys: string[] = [];
      const ids: string[] = [];
      const initiated: string[] = [];
      let KeyMarker: string | undefined;
      let UploadIdMarker: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix, MaxUploads, KeyMarker, UploadIdMarker }));
        pages++;
        assert.equal(page.Bucket, Bucket);
        assert.equal(page.MaxUploads, MaxUploads);
        for (const upload of page.Uploads ?? []) {
          keys.push(upload.Key ?? '');
          ids.push(upload.UploadId ?? '');
          initiated.push(upload.Initiated?.toISOString() ?? '');
        }
        if (!page.IsTruncated) return { keys, ids, initiated, pages };
        KeyMarker = page.NextKeyMarker;
        UploadIdMarker = page.NextUploadIdMarker;
      }
    };

    it('lists them by prefix, page by page, with the time each was initiated', async () => {
      clock = new Date('2024-05-01T10:00:00.000Z');
      const ids = [await start('mp/b'), await start('mp/a'), await start('mp/b'), await start('mp/c/deep')];
      clock = new Date('2024-05-02T10:00:00.000Z');
      await start('mp-other/a');
      await start('elsewhere/mp/a');
      const listed = await listAll('mp/', 2);
      assert.deepEqual(listed.keys, ['mp/a', 'mp/b', 'mp/b', 'mp/c/deep']);
      assert.equal(listed.pages, 2);
      assert.deepEqual([...listed.ids].sort(), [...ids].sort());
      assert.deepEqual(listed.initiated, Array(4).fill('2024-05-01T10:00:00.000Z'));
      // A page boundary between the two uploads of one key: the upload ID marker goes on after the first.
      const byOne = await listAll('mp/', 1);
      assert.deepEqual(byOne.ids, listed.ids);
      assert.equal(byOne.pages, 4);
      const everywhere = (await listAll('', 1000)).keys;
      assert.deepEqual(everywhere.filter((key) => key.includes('mp')), ['elsewhere/mp/a', 'mp-other/a', 'mp/a', 'mp/b', 'mp/b', 'mp/c/deep']);
      assert.ok(server.requestLog.some((request) => request.operation === 'ListMultipartUploads' && request.status === 200));
    });

    it('forgets an upload once completed or aborted, and refuses to touch it again', async () => {
      const done = await start('mp2/done');
      const dropped = await start('mp2/dropped');
      await start('mp2/kept');
      const parts = [{ PartNumber: 1, ETag: (await s3.send(new UploadPartCommand({ Bucket, Key: 'mp2/done', UploadId: done, PartNumber: 1, Body: 'all' }))).ETag }];
      await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mp2/done', UploadId: done, MultipartUpload: { Parts: parts } }));
      assert.equal(await outcome(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp2/dropped', UploadId: dropped }))), 'ok');
      assert.deepEqual((await listAll('mp2/', 1000)).keys, ['mp2/kept']);
      assert.equal(await outcome(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp2/dropped', UploadId: dropped }))), 'NoSuchUpload 404');
      assert.equal(await outcome(s3.send(new UploadPartCommand({ Bucket, Key: 'mp2/dropped', UploadId: dropped, PartNumber: 2, Body: 'late' }))), 'NoSuchUpload 404');
      assert.equal(await outcome(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp2/done', UploadId: done }))), 'NoSuchUpload 404');
      assert.equal(await outcome(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp2/kept', UploadId: 'no-such-id' }))), 'NoSuchUpload 404');
      assert.equal(await outcome(s3.send(new HeadObjectCommand({ Bucket, Key: 'mp2/dropped' }))), 'NotFound 404');
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'mp2/done' }));
      assert.equal(await got.Body?.transformToString(), 'all');
    });

    it('refuses a delimiter it does not model and a max-uploads that is no count', async () => {
      assert.equal(await outcome(s3.send(new ListMultipartUploadsCommand({ Bucket, Delimiter: '/' }))), 'NotImplemented 501');
      assert.equal(await outcome(s3.send(new ListMultipartUploadsCommand({ Bucket, MaxUploads: 0 }))), 'InvalidArgument 400');
    });
  });

  describe('fault injection', () => {
    it('answers with S3 error documents, then normally', async () => {
      server.faults.inject({ kind: 500, operation: 'PutObject', key: 'f/a' });
      server.faults.inject({ kind: 503, method: 'PUT', key: /^f\// });
      server.faults.inject({ kind: 'SlowDown', operation: 'PutObject' });
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'f/a', Body: 'x' }))), 'InternalError 500');
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'f/a', Body: 'x' }))), 'ServiceUnavailable 503');
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'f/a', Body: 'x' }))), 'SlowDown 503');
      assert.equal(await outcome(s3.send(new PutObjectCommand({ Bucket, Key: 'f/a', Body: 'x' }))), 'ok');
      assert.deepEqual(
        server.requestLog.map((request) => [request.status, request.fault ?? null]),
        [
          [500, 500],
          [503, 503],
          [503, 'SlowDown'],
          [200, null],
        ],
      );
    });

    it('matches only the method, operation and key it names', async () => {
      const fault = server.faults.inject({ kind: 500, times: 5, operation: 'GetObject', key: 'f/other' });
      await s3.send(new PutObjectCommand({ Bucket, Key: 'f/b', Body: 'x' }));
      await s3.send(new GetObjectCommand({ Bucket, Key: 'f/b' }));
      assert.equal(fault.hits, 0);
      assert.equal(server.faults.pending.length, 1);
    });

    it('resets the connection', async () => {
      server.faults.inject({ kind: 'reset', operation: 'HeadObject' });
      server.faults.inject({ kind: 'reset', operation: 'PutObject' });
      assert.notEqual(await outcome(s3.send(new HeadObjectCommand({ Bucket, Key: 'f/c' }))), 'ok');
      const err = await s3.send(new PutObjectCommand({ Bucket, Key: 'f/c', Body: Buffer.alloc(1024 * 1024) })).then(
        () => undefined,
        (error: unknown) => error as { code?: string },
      );
      assert.ok(err && ['ECONNRESET', 'EPIPE'].includes(err.code ?? ''), String(err?.code));
      assert.deepEqual(
        server.requestLog.map((request) => [request.operation, request.status, request.fault]),
        [
          ['HeadObject', 0, 'reset'],
          ['PutObject', 0, 'reset'],
        ],
      );
    });
  });
});
