import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { checkLocation } from '../../src/location/check-location.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
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
  });
});
