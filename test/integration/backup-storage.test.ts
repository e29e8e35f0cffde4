import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { BadInputError, CliError, ExitCode } from '../../src/errors.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import { verifyArtifact } from '../../src/storage/artifact-integrity.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore, PutOptions, StoredObject } from '../../src/storage/object-store.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import { StorageError } from '../../src/storage/storage-errors.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';
import { keysOf, readBackup } from '../builders/backup-artifacts.js';
import { DelegatingStore } from '../builders/delegating-store.js';
import { configMap } from '../builders/backup-objects.js';
import { backupRequest, fastClient, runBackup } from '../builders/backup-run.js';
import { closedPort } from '../helpers/closed-port.js';

const MIB = 1024 * 1024;

const failsWith = (code: ExitCode, pattern: RegExp) => (err: unknown) => err instanceof CliError && err.exitCode === code && pattern.test(err.message);

/** The write-once layout: every artifact once, the record last, checksums that verify; and what failures leave behind. */
describe('backup storage: write-once artifacts, the record last, failures leave nothing', function () {
  this.timeout(120_000);
  let api: TestApiServer;
  let s3: S3TestServer;
  let client: KubeClient;
  let dir: string;
  let count = 0;
  const items = 5000;

  before(async () => {
    [api, s3] = await Promise.all([startTestApiServer(), startS3Server({ writeOnce: true })]);
    client = await fastClient(api.kubeconfigPath);
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backup-storage-'));
    // Incompressible data, enough for a multipart upload of the archive (parts of 5 MiB).
    const objects = [];
    for (let i = 0; i < items; i++) objects.push(configMap(`ns-${i % 10}`, `cm-${i}`, {}, { payload: randomBytes(1100).toString('base64') }));
    await api.seed(objects);
  });
  beforeEach(() => {
    s3.faults.clear();
    s3.clearLog();
  });
  after(async () => {
    await Promise.all([api.close(), s3.close()]);
    await fs.rm(dir, { recursive: true, force: true });
  });

  const s3Store = (): ObjectStore => openObjectStore(s3.urlWithPrefix(`p${++count}`), { ...s3.env }, { maxAttempts: 3, partSize: 5 * MIB, queueSize: 2 });
  const request = (name: string, overrides = {}) => backupRequest(name, { includeResources: ['configmaps'] }, overrides);
  /** A client of the test server's kubeconfig, but for a port where nothing listens; one attempt per request. */
  const unreachableClient = async (name: string): Promise<KubeClient> => {
    const port = await closedPort();
    const kubeconfig = path.join(dir, `kubeconfig-${name}`);
    await fs.writeFile(kubeconfig, (await fs.readFile(api.kubeconfigPath, 'utf8')).replace(/server: .*/, `server: http://127.0.0.1:${port}`));
    return fastClient(kubeconfig, 1);
  };
  const writes = () => s3.requestLog.filter((r) => (r.operation === 'PutObject' || r.operation === 'CreateMultipartUpload') && r.status >= 200 && r.status < 300);

  it('writes each key once to a write-once S3 bucket, with a multipart archive and the record last', async () => {
    const store = s3Store();
    const outcome = await runBackup(request('big'), { client, store, storageLocation: 's3://test' });
    assert.equal(outcome.phase, 'Completed');
    const keys = writes().map((r) => r.key!);
    assert.equal(new Set(keys).size, keys.length, `no key written twice: ${keys.join(', ')}`);
    assert.ok(s3.requestLog.some((r) => r.operation === 'UploadPart'), 'the archive went up as a multipart upload');
    assert.ok(s3.requestLog.every((r) => r.status < 400 || r.operation === 'HeadObject'), 'no write refused');
    assert.match(keys[keys.length - 1]!, /backups\/big\/kubectl-backup\.json$/);
    const record = outcome.record!;
    assert.deepEqual(
      record.status.artifacts.map((a) => a.key),
      ['archive', 'resourceList', 'results', 'logs'].map((k) => backupKeys('big')[k as 'archive']),
    );
    for (const artifact of record.status.artifacts) await verifyArtifact(store, artifact);
    const contents = await readBackup(store, 'big');
    assert.equal(contents.entries.filter((e) => e.startsWith('resources/configmaps/')).length, record.status.itemsByResource.configmaps);
    assert.ok(record.status.itemsByResource.configmaps! >= items);
  });

  it('writes the same layout to a directory, with a record a reader accepts', async () => {
    const store = new FileObjectStore(path.join(dir, 'files'));
    const outcome = await runBackup(request('files', { ttlMs: 0 }), { client, store, storageLocation: store.describe() });
    const contents = await readBackup(store, 'files');
    assert.equal(contents.record?.status.expiration, null);
    assert.equal(contents.record?.spec.ttl, '0s');
    assert.equal(contents.record?.status.cluster.server, client.server);
    assert.equal(contents.record?.status.cluster.version, 'v1.32.0');
    for (const artifact of outcome.record!.status.artifacts) await verifyArtifact(store, artifact);
    assert.deepEqual((await keysOf(store, 'files')).sort(), Object.values(backupKeys('files')).filter((k) => !k.endsWith('/')).sort());
  });

  it('refuses a name that has a record, writing nothing', async () => {
    const store = s3Store();
    await runBackup(request('taken', { pageSize: 2000 }), { client, store, storageLocation: 's3://test' });
    s3.clearLog();
    await assert.rejects(runBackup(request('taken'), { client, store, storageLocation: 's3://test' }), (err: unknown) => err instanceof BadInputError && err.message === 'backup "taken" already exists');
    assert.deepEqual(writes(), []);
    assert.ok(!s3.requestLog.some((r) => r.operation === 'DeleteObject'));
  });

  it('refuses the name of a Velero backup in the location (exit 2), deleting and writing nothing', async () => {
    for (const store of [s3Store(), new FileObjectStore(path.join(dir, 'velero'))]) {
      const veleroKeys = ['velero-backup.json', 'theirs.tar.gz', 'theirs-logs.gz'].map((file) => `${backupKeys('theirs').dir}${file}`);
      for (const key of veleroKeys) await store.put(key, Readable.from([Buffer.from(`velero wrote ${key}`)]));
      s3.clearLog();
      await assert.rejects(runBackup(request('theirs'), { client, store, storageLocation: store.describe() }), (err: unknown) => err instanceof BadInputError && err.exitCode === ExitCode.BadInput && err.message === 'backup "theirs" already exists (a Velero backup)');
      assert.deepEqual((await keysOf(store, 'theirs')).sort(), veleroKeys.sort(), store.describe());
      assert.deepEqual(writes(), []);
      assert.ok(!s3.requestLog.some((r) => r.operation === 'DeleteObject'));
    }
  });

  it('asks storage about the name while it reads the cluster, not after', async () => {
    // Where each call stands in the run: the name's check must not wait for discovery.
    let step = 0;
    let askedAt: number | undefined;
    let discoveredAt: number | undefined;
    const store = new (class extends DelegatingStore {
      override head(key: string) {
        askedAt ??= ++step;
        return super.head(key);
      }
      override list(prefix: string) {
        askedAt ??= ++step;
        return super.list(prefix);
      }
    })(new FileObjectStore(path.join(dir, 'together')));
    const watched: KubeClient = {
      server: client.server,
      json: async <T>(req: KubeRequest): Promise<T> => {
        const answer = await client.json<T>(req);
        if (req.path === '/api' || req.path === '/apis') discoveredAt ??= ++step;
        return answer;
      },
      stream: (req) => client.stream(req),
    };
    api.faults.add({ method: 'GET', path: '^/apis?$', delayMs: 200 });
    try {
      const outcome = await runBackup(request('together', { pageSize: 2000 }), { client: watched, store, storageLocation: store.describe() });
      assert.equal(outcome.phase, 'Completed');
    } finally {
      api.faults.clear();
    }
    assert.ok(askedAt !== undefined && discoveredAt !== undefined && askedAt < discoveredAt, `storage asked at step ${askedAt}, discovery answered at step ${discoveredAt}`);
  });

  it('a dry run refuses a name that has a record, and leaves what an unfinished run left', async () => {
    const store = s3Store();
    await runBackup(request('kept', { pageSize: 2000 }), { client, store, storageLocation: 's3://test' });
    await store.put(backupKeys('half').archive, Readable.from([Buffer.from('half an archive')]));
    s3.clearLog();
    await assert.rejects(runBackup(request('kept', { dryRun: true }), { client, store, storageLocation: 's3://test' }), (err: unknown) => err instanceof BadInputError && err.message === 'backup "kept" already exists');
    const dry = await runBackup(request('half', { dryRun: true, pageSize: 2000 }), { client, store, storageLocation: 's3://test' });
    assert.ok(dry.totalItems >= items);
    assert.deepEqual(writes(), []);
    assert.ok(!s3.requestLog.some((r) => r.operation === 'DeleteObject'), 'a dry run removes nothing');
  });

  it('re-running after a run that died removes its leftovers first', async () => {
    const store = s3Store();
    await store.put(backupKeys('again').archive, Readable.from([Buffer.from('half an archive')]));
    const outcome = await runBackup(request('again', { pageSize: 2000 }), { client, store, storageLocation: 's3://test' });
    assert.equal(outcome.phase, 'Completed');
    assert.ok(outcome.logger.messages().includes('removed what an unfinished earlier run of this backup left'));
    await verifyArtifact(store, outcome.record!.status.artifacts[0]!);
  });

  it('a storage failure mid-upload fails the backup (exit 1) and commits nothing', async () => {
    const store = s3Store();
    s3.faults.inject({ kind: 503, operation: 'UploadPart', times: 100 });
    await assert.rejects(runBackup(request('broken'), { client, store, storageLocation: 's3://test' }), failsWith(ExitCode.Failed, /backups\/broken\/broken\.tar\.gz/));
    s3.faults.clear();
    assert.equal(await store.head(backupKeys('broken').record), undefined);
    assert.deepEqual(await keysOf(store, 'broken'), [], 'what was written is removed');
  });

  for (const artifact of ['archive', 'resourceList', 'logs'] as const) {
    it(`a put of the ${artifact} refused at once fails the backup with the store's error (exit 1) and removes what was written`, async () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const name = `refused-${artifact.toLowerCase()}`;
        // As a store does when it cannot even start the write (its existence check fails): the body is dropped unread.
        const store = new (class extends FileObjectStore {
          override put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
            if (key !== backupKeys(name)[artifact]) return super.put(key, body, options);
            body.destroy();
            return Promise.reject(new StorageError(`cannot write "${key}": the test store refuses it`));
          }
        })(path.join(dir, name));
        await assert.rejects(runBackup(request(name, { pageSize: 100 }), { client, store, storageLocation: store.describe() }), failsWith(ExitCode.Failed, /the test store refuses it/));
        assert.deepEqual(await keysOf(store, name), [], 'what was written is removed');
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(unhandled, [], 'no promise rejection is left unhandled');
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  }

  it("a failure removes only what the run wrote: another run's objects under the name stay", async () => {
    const name = 'shared-name';
    const keys = backupKeys(name);
    const foreign = `backups/${name}/${name}-written-by-another-run.json`;
    // Another run of the name, started as this one writes its archive, stores an object of its
    // own and the results before this run comes to them.
    const store = new (class extends DelegatingStore {
      override async put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
        if (key === keys.archive) {
          await this.inner.put(foreign, Readable.from([Buffer.from('{}')]));
          await this.inner.put(keys.results, Readable.from([Buffer.from('theirs')]));
        }
        return this.inner.put(key, body, options);
      }
    })(new FileObjectStore(path.join(dir, 'shared')));
    await assert.rejects(runBackup(request(name), { client, store, storageLocation: store.describe() }), failsWith(ExitCode.Failed, /exists/));
    assert.deepEqual((await keysOf(store, name)).sort(), [foreign, keys.results].sort(), "this run's archive, resource list and log are removed, the other run's objects stay");
  });

  it('a record whose write failed only on the way back keeps its artifacts', async () => {
    const name = 'record-lost-reply';
    const keys = backupKeys(name);
    const store = new (class extends DelegatingStore {
      override async put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
        const stored = await this.inner.put(key, body, options);
        if (key === keys.record) throw new StorageError(`cannot write "${key}": the connection dropped after the write`);
        return stored;
      }
    })(new FileObjectStore(path.join(dir, 'lost-reply')));
    await assert.rejects(runBackup(request(name), { client, store, storageLocation: store.describe() }), failsWith(ExitCode.Failed, /connection dropped/));
    const left = await keysOf(store, name);
    for (const key of [keys.record, keys.archive, keys.resourceList, keys.logs, keys.results]) assert.ok(left.includes(key), `${key} is kept`);
  });

  it('unreachable storage fails (exit 1) before anything is written', async () => {
    const port = await closedPort();
    const store = openObjectStore(`s3://nowhere?endpoint=http://127.0.0.1:${port}&forcePathStyle=true&region=us-east-1`, { ...s3.env }, { maxAttempts: 1 });
    await assert.rejects(runBackup(request('nowhere'), { client, store, storageLocation: 's3://nowhere' }), failsWith(ExitCode.Failed, /nowhere/));
  });

  it('an unreachable cluster fails (exit 1) before anything is written', async () => {
    const store = new FileObjectStore(path.join(dir, 'unreachable'));
    await assert.rejects(runBackup(request('dead'), { client: await unreachableClient('closed'), store, storageLocation: store.describe() }), failsWith(ExitCode.Failed, /cannot reach the API server/));
    assert.deepEqual(await keysOf(store, 'dead'), []);
  });

  it('a cluster lost mid-backup fails it (exit 1) at the first list that cannot reach it, committing nothing', async () => {
    const store = new FileObjectStore(path.join(dir, 'lost'));
    const deadClient = await unreachableClient('lost');
    // The plan is read from the live server; from the third ConfigMap list on, the server is gone.
    let configMapLists = 0;
    const lostClient: KubeClient = {
      server: client.server,
      json: <T>(req: KubeRequest) => (req.path.endsWith('/configmaps') && ++configMapLists > 2 ? deadClient.json<T>(req) : client.json<T>(req)),
      stream: (req) => client.stream(req),
    };
    // Few namespaces of many: one list each (backup-plan.ts). Without the stop, the lists of
    // every namespace after the first failure would each fail after their retries.
    const filters = { includeResources: ['configmaps'], includeNamespaces: ['ns-0', 'ns-1', 'ns-2', 'ns-3'] };
    await assert.rejects(
      runBackup(backupRequest('lost', filters), { client: lostClient, store, storageLocation: store.describe() }),
      failsWith(ExitCode.Failed, /backup "lost" failed: cannot reach the API server http:\/\/127\.0\.0\.1:\d+ \(GET \/api\/v1\/namespaces\/ns-\d\/configmaps\): ECONNREFUSED/),
    );
    assert.equal(configMapLists, 3, 'no list after the first that could not reach the server');
    assert.deepEqual(await keysOf(store, 'lost'), []);
  });

  it('an interrupted backup commits nothing and removes what it wrote', async () => {
    const store = new FileObjectStore(path.join(dir, 'interrupted'));
    const stop = new AbortController();
    let pages = 0;
    const outcome = runBackup(request('stopped', { pageSize: 100 }), {
      client,
      store,
      storageLocation: store.describe(),
      signal: stop.signal,
      progress: { expect: () => undefined, stage: () => undefined, finish: () => undefined, advance: () => void (++pages === 5 && stop.abort(new Error('interrupted by SIGINT'))) },
    });
    await assert.rejects(outcome, failsWith(ExitCode.Failed, /interrupted by SIGINT/));
    assert.deepEqual(await keysOf(store, 'stopped'), []);
  });
});
