import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { openVerifiedArtifact, verifyArtifact } from '../../src/storage/artifact-integrity.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { ArtifactIntegrityError, ObjectExistsError, ObjectLockedError, ObjectNotFoundError } from '../../src/storage/storage-errors.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import type { MeasuredPutRequest, MeasuredPutResult } from '../helpers/measured-put.js';
import type { StalledPutRequest } from '../helpers/stalled-put.js';
import { generatedBody } from '../helpers/generated-body.js';
import { runProcess } from '../helpers/run-process.js';
import { bodyOf, fileFixture, keysOf, readAll, s3Fixture, type FreshLocation } from './storage-store-fixtures.js';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** A body that waits to be released; `started` resolves when the store first reads it. */
function heldBody(content: string): { body: Readable; started: Promise<void>; release(): void } {
  let started!: () => void;
  let release!: () => void;
  const startedPromise = new Promise<void>((resolve) => (started = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  let sent = false;
  const body = new Readable({
    read() {
      started();
      if (sent) return;
      sent = true;
      void released.then(() => {
        this.push(Buffer.from(content));
        this.push(null);
      });
    },
  });
  return { body, started: startedPromise, release };
}

const repo = fileURLToPath(new URL('../..', import.meta.url));

/** The put measured in a process of its own, so the in-process S3 test server's memory is not counted. */
async function putInOwnProcess(request: MeasuredPutRequest, env: Readonly<Record<string, string>>): Promise<MeasuredPutResult> {
  const script = join(repo, 'test', 'helpers', 'measured-put.ts');
  const run = await runProcess(process.execPath, ['--expose-gc', '--import', 'tsx', script, JSON.stringify(request)], {
    env: { PATH: process.env.PATH ?? '', ...env },
    timeoutMs: 100_000,
    cwd: repo,
  });
  assert.equal(run.code, 0, run.stderr);
  return JSON.parse(run.stdout) as MeasuredPutResult;
}

/** Starts a put in a process of its own, waits until the store shows its write in progress, and kills it with SIGKILL. */
async function killPutMidway(request: StalledPutRequest, env: Readonly<Record<string, string>>, store: ObjectStore): Promise<void> {
  const script = join(repo, 'test', 'helpers', 'stalled-put.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(request)], { env: { PATH: process.env.PATH ?? '', ...env }, cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  const closed = once(child, 'close');
  const aMinuteAhead = new Date(Date.now() + 60_000);
  try {
    for (let tries = 0; (await store.removeAbandonedWrites?.(aMinuteAhead, { dryRun: true })) !== 1; tries++) {
      assert.equal(child.exitCode, null, `the put ended: ${stderr}`);
      assert.ok(tries < 600, 'the put never showed a write in progress');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    child.kill('SIGKILL');
    await closed;
  }
}

function storeAt(location: FreshLocation): ObjectStore {
  return openObjectStore(location.url, { ...location.env }, location.options);
}

for (const fixture of [fileFixture(), s3Fixture()]) {
  describe(`object store contract: ${fixture.name}`, function () {
    this.timeout(60_000);
    let store: ObjectStore;

    before(() => fixture.start());
    after(() => fixture.stop());
    beforeEach(async () => {
      store = await fixture.fresh();
    });

    it('puts, reads, inspects, lists and deletes an object', async () => {
      const stored = await store.put('backups/b1/b1-logs.gz', bodyOf('hello, storage'), { contentType: 'application/gzip' });
      assert.deepEqual(stored, { key: 'backups/b1/b1-logs.gz', size: 14, sha256: sha256('hello, storage') });
      assert.equal((await readAll(await store.get('backups/b1/b1-logs.gz'))).toString(), 'hello, storage');
      const info = await store.head('backups/b1/b1-logs.gz');
      assert.equal(info?.size, 14);
      assert.ok(info && Math.abs(info.lastModified.getTime() - Date.now()) < 60_000, 'lastModified is about now');
      assert.deepEqual(await keysOf(store), ['backups/b1/b1-logs.gz']);
      for await (const listed of store.list('backups/')) assert.equal(listed.size, 14);
      fixture.server?.clearLog();
      await store.delete('backups/b1/b1-logs.gz');
      // A bucket without versioning takes a plain delete: no s3:ListBucketVersions needed.
      if (fixture.server) assert.deepEqual(fixture.server.requestLog.map((r) => r.operation), ['HeadObject', 'DeleteObject']);
      assert.equal(await store.head('backups/b1/b1-logs.gz'), undefined);
      assert.deepEqual(await keysOf(store), []);
      await assert.rejects(store.get('backups/b1/b1-logs.gz'), (err: Error & { exitCode?: number }) => err instanceof ObjectNotFoundError && err.exitCode === ExitCode.Failed);
    });

    it('writes an empty object', async () => {
      assert.deepEqual(await store.put('empty', bodyOf('')), { key: 'empty', size: 0, sha256: sha256('') });
      assert.equal((await readAll(await store.get('empty'))).length, 0);
    });

    it('deletes a key that does not exist without complaint', async () => {
      await store.delete('never/written');
    });

    it('lists by plain string prefix, in key order', async () => {
      for (const key of ['backups/b2/x', 'backups/b1/y', 'backups/b1-x/z', 'backups/b10/a', 'restores/r1/a', 'backups/b1/a/deep']) {
        await store.put(key, bodyOf(key));
      }
      assert.deepEqual(await keysOf(store, 'backups/b1'), ['backups/b1-x/z', 'backups/b1/a/deep', 'backups/b1/y', 'backups/b10/a']);
      assert.deepEqual(await keysOf(store, 'backups/b1/'), ['backups/b1/a/deep', 'backups/b1/y']);
      assert.deepEqual(await keysOf(store, 'restores/'), ['restores/r1/a']);
      assert.deepEqual(await keysOf(store, 'nothing/'), []);
      assert.equal((await keysOf(store)).length, 6);
    });

    it('refuses a second put of a key, before reading its body, and keeps the first', async () => {
      await store.put('backups/b1/kubectl-backup.json', bodyOf('first'));
      const second = bodyOf('second');
      await assert.rejects(store.put('backups/b1/kubectl-backup.json', second), (err: Error & { exitCode?: number }) => {
        assert.ok(err instanceof ObjectExistsError, String(err));
        assert.match(err.message, /object "backups\/b1\/kubectl-backup\.json" already exists in .*; objects are written once/);
        return true;
      });
      assert.ok(second.destroyed, 'the refused body is released');
      assert.equal((await readAll(await store.get('backups/b1/kubectl-backup.json'))).toString(), 'first');
    });

    it('lets exactly one of two racing puts of a key win', async () => {
      const a = heldBody('from a');
      const b = heldBody('from b');
      const putA = store.put('race/key', a.body);
      const putB = store.put('race/key', b.body);
      // Both are past their "does it exist?" check once they read their bodies.
      await Promise.all([a.started, b.started]);
      a.release();
      await putA;
      b.release();
      await assert.rejects(putB, ObjectExistsError);
      assert.equal((await readAll(await store.get('race/key'))).toString(), 'from a');
    });

    it('streams a 100 MB put in flat memory and reads it back intact', async function () {
      this.timeout(120_000);
      const total = 100 * 1024 * 1024;
      const location = await fixture.freshLocation();
      fixture.server?.clearLog();
      const result = await putInOwnProcess({ url: location.url, options: location.options, key: 'backups/big/big.tar.gz', totalBytes: total }, location.env);
      assert.equal(result.stored.size, total);
      // Bounded by the parts in flight, never by the body: S3 holds queueSize (2) parts of 5 MB
      // being sent plus the one being filled, and the SDK copies a part while it joins its chunks;
      // a slow server keeps that many alive longer, no more. Measured: 18-32 MB.
      const growth = result.peakGrowthBytes;
      assert.ok(growth < 40 * 1024 * 1024, `memory grew by ${(growth / 1024 / 1024).toFixed(1)} MB while putting 100 MB`);
      if (fixture.server) {
        const operations = fixture.server.requestLog.map((request) => request.operation);
        assert.ok(operations.includes('CreateMultipartUpload'), 'a multipart upload');
        assert.equal(operations.filter((operation) => operation === 'UploadPart').length, 20);
      }
      await verifyArtifact(await storeAt(location), result.stored);
    });

    it('passes a failing body on as the error and leaves nothing under the key', async () => {
      let sent = 0;
      const failing = new Readable({
        read() {
          if (sent++ < 3) this.push(Buffer.alloc(1024 * 1024, 1));
          else this.destroy(new Error('the archive could not be built'));
        },
      });
      await assert.rejects(store.put('backups/b/b.tar.gz', failing), { message: 'the archive could not be built' });
      assert.equal(await store.head('backups/b/b.tar.gz'), undefined);
      assert.deepEqual(await keysOf(store), []);
    });

    it('stops when aborted and leaves nothing under the key', async () => {
      const controller = new AbortController();
      const interrupted = new Error('interrupted');
      const body = generatedBody(20 * 1024 * 1024, 16 * 1024, (produced) => {
        if (produced > 6 * 1024 * 1024 && !controller.signal.aborted) controller.abort(interrupted);
      });
      await assert.rejects(store.put('backups/b/b.tar.gz', body, { signal: controller.signal }), (err) => err === interrupted);
      assert.equal(await store.head('backups/b/b.tar.gz'), undefined);
      await assert.rejects(store.put('backups/b/b.tar.gz', bodyOf('x'), { signal: controller.signal }), /interrupted/);
    });

    it('leaves a put killed midway to removeAbandonedWrites, once old enough, and nothing under the key', async function () {
      this.timeout(60_000);
      const location = await fixture.freshLocation();
      const killed = storeAt(location);
      await killPutMidway({ url: location.url, options: location.options, key: 'backups/k/k.tar.gz', bytes: 6 * 1024 * 1024 }, location.env, killed);
      assert.equal(await killed.head('backups/k/k.tar.gz'), undefined);
      assert.deepEqual(await keysOf(killed), []);
      const dayAgo = new Date(Date.now() - 86_400_000);
      const minuteAhead = new Date(Date.now() + 60_000);
      assert.equal(await killed.removeAbandonedWrites?.(dayAgo), 0, 'too young: it could be a write still running');
      assert.equal(await killed.removeAbandonedWrites?.(minuteAhead, { dryRun: true }), 1);
      assert.equal(await killed.removeAbandonedWrites?.(minuteAhead, { dryRun: true }), 1, 'a dry run removes nothing');
      assert.equal(await killed.removeAbandonedWrites?.(minuteAhead), 1);
      assert.equal(await killed.removeAbandonedWrites?.(minuteAhead, { dryRun: true }), 0);
      await killed.put('backups/k/k.tar.gz', bodyOf('again'));
      assert.deepEqual(await keysOf(killed), ['backups/k/k.tar.gz']);
    });

    it('refuses keys that could name something outside the location', async () => {
      for (const key of ['../escape', 'a/../../b', '/abs', 'a//b', '']) {
        await assert.rejects(store.put(key, bodyOf('x')), (err: Error & { exitCode?: number }) => err.exitCode === ExitCode.BadInput, key);
        await assert.rejects(store.get(key), (err: Error & { exitCode?: number }) => err.exitCode === ExitCode.BadInput, key);
      }
    });

    it('describes itself without credentials', () => {
      const text = store.describe();
      assert.match(text, /^(file:\/\/\/|s3:\/\/)/);
      assert.ok(!text.includes('S3RVER'), text);
    });

    describe('verifyArtifact', () => {
      it('accepts an artifact that matches its record', async () => {
        const stored = await store.put('backups/b/b.tar.gz', bodyOf('archive bytes'));
        await verifyArtifact(store, stored);
        assert.equal((await readAll(await openVerifiedArtifact(store, stored))).toString(), 'archive bytes');
      });

      it('detects a size that differs from the record', async () => {
        const stored = await store.put('backups/b/b.tar.gz', bodyOf('archive bytes'));
        await assert.rejects(verifyArtifact(store, { ...stored, size: stored.size + 1 }), (err: Error & { exitCode?: number }) => {
          assert.ok(err instanceof ArtifactIntegrityError);
          assert.equal(err.exitCode, ExitCode.BadInput);
          assert.equal(err.message, 'artifact "backups/b/b.tar.gz" failed its integrity check: it has 13 bytes, its record says 14');
          return true;
        });
        await assert.rejects(verifyArtifact(store, { ...stored, size: 5 }), /it is larger than the 5 bytes its record says/);
      });

      it('detects a sha256 that differs from the record', async () => {
        const stored = await store.put('backups/b/b.tar.gz', bodyOf('archive bytes'));
        const wrong = sha256('other bytes');
        await assert.rejects(verifyArtifact(store, { ...stored, sha256: wrong }), {
          message: `artifact "backups/b/b.tar.gz" failed its integrity check: its sha256 is ${stored.sha256}, its record says ${wrong}`,
        });
        await assert.rejects(readAll(await openVerifiedArtifact(store, { ...stored, sha256: wrong })), ArtifactIntegrityError);
      });

      it('reports a missing artifact', async () => {
        await assert.rejects(verifyArtifact(store, { key: 'backups/b/b.tar.gz', size: 1, sha256: sha256('x') }), {
          message: 'artifact "backups/b/b.tar.gz" failed its integrity check: it is missing from storage',
        });
      });
    });

    describe('retention', () => {
      const retainUntil = new Date(Date.now() + 7 * 24 * 3600 * 1000);
      retainUntil.setUTCMilliseconds(0);

      if (!fixture.supportsRetention) {
        it('is refused, so nobody believes a directory is write-once', async () => {
          const body = bodyOf('x');
          await assert.rejects(store.put('k', body, { retention: { mode: 'COMPLIANCE', retainUntil } }), (err: Error & { exitCode?: number }) => {
            assert.equal(err.exitCode, ExitCode.BadInput);
            assert.match(err.message, /cannot keep objects under retention; object lock needs an S3 location/);
            return true;
          });
          assert.ok(body.destroyed);
          assert.equal(store.supportsRetention, false);
        });
        return;
      }

      it('sends the object-lock headers with every request that creates an object', async () => {
        const server = fixture.server;
        assert.ok(server);
        server.clearLog();
        await store.put('backups/b/small', bodyOf('x'), { retention: { mode: 'GOVERNANCE', retainUntil } });
        await store.put('backups/b/large', generatedBody(12 * 1024 * 1024), { retention: { mode: 'GOVERNANCE', retainUntil } });
        const creating = server.requestLog.filter((request) => request.operation === 'PutObject' || request.operation === 'CreateMultipartUpload');
        assert.deepEqual(
          creating.map((request) => request.operation),
          ['PutObject', 'CreateMultipartUpload'],
        );
        for (const request of creating) {
          assert.equal(request.headers.objectLockMode, 'GOVERNANCE');
          assert.equal(new Date(request.headers.objectLockRetainUntilDate ?? '').getTime(), retainUntil.getTime());
        }
        assert.deepEqual((await store.head('backups/b/large'))?.retention, { mode: 'GOVERNANCE', retainUntil });
      });

      it('refuses a delete under retention with the date, and keeps the object', async () => {
        await store.put('backups/b/b.tar.gz', bodyOf('locked'), { retention: { mode: 'COMPLIANCE', retainUntil } });
        await assert.rejects(store.delete('backups/b/b.tar.gz'), (err: Error & { exitCode?: number }) => {
          assert.ok(err instanceof ObjectLockedError, String(err));
          assert.equal(err.retainUntil?.getTime(), retainUntil.getTime());
          assert.match(err.message, new RegExp(`is under object lock retention until ${retainUntil.toISOString()} and cannot be deleted before then`));
          return true;
        });
        assert.equal((await readAll(await store.get('backups/b/b.tar.gz'))).toString(), 'locked');
        // On a versioned bucket a delete would have "succeeded" behind a delete marker.
        assert.deepEqual(fixture.server?.hiddenVersions(), []);
      });
    });
  });
}
