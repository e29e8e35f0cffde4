import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describeBackup } from '../../src/backup-records/backup-description.js';
import { describeAsText } from '../../src/backup-records/description-text.js';
import { describeRestore } from '../../src/backup-records/restore-description-text.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import { silentLogger } from '../../src/log/logger.js';
import { readRestoreResults } from '../../src/restore/restore-artifacts.js';
import { createRestore } from '../../src/restore/restore-service.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { configMap } from '../builders/backup-objects.js';
import { backupRequest, runBackup } from '../builders/backup-run.js';
import { restoreRequest } from '../builders/restore-request.js';
import { closedPort } from '../helpers/closed-port.js';

const password = 'PASSW0RD';

/** Every file under `dir`, gunzipped where it is gzip, as text. */
async function everythingStored(dir: string): Promise<string> {
  const texts: string[] = [];
  for (const entry of await fs.readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const bytes = await fs.readFile(path.join(entry.parentPath, entry.name));
    texts.push((bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString('utf8'));
  }
  return texts.join('\n');
}

/** A kubeconfig server URL with a user name and password: none of it is kept or shown. */
describe('an API server URL with user information', function () {
  this.timeout(60_000);
  let api: TestApiServer;
  let dir: string;
  let store: FileObjectStore;
  let client: KubeClient;

  /** The test server's kubeconfig with `server` replaced. */
  async function kubeconfigFor(server: string): Promise<string> {
    const file = path.join(dir, `kubeconfig-${Math.random().toString(36).slice(2)}`);
    const yaml = api.kubeconfigYaml.replace(`server: ${api.url}`, `server: ${server}`);
    assert.ok(yaml.includes(server), 'the server was replaced');
    await fs.writeFile(file, yaml);
    return file;
  }

  const withPassword = (url: string) => url.replace('://', `://admin:${password}@`);

  before(async () => {
    api = await startTestApiServer();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'kb-server-userinfo-'));
    store = new FileObjectStore(path.join(dir, 'store'));
    await api.seed([configMap('shop', 'settings', {}, { color: 'blue' })]);
    ({ client } = await connectCluster({ kubeconfig: await kubeconfigFor(`${withPassword(api.url)}?debug=${password}#${password}`) }));
  });
  after(async () => {
    await api?.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('connects, and names the server without them', () => {
    assert.equal(client.server, api.url);
  });

  it('keeps them out of the backup record, its log and describe', async () => {
    const outcome = await runBackup(backupRequest('shop-1', { includeNamespaces: ['shop'] }), { client, store, storageLocation: 'test' });
    assert.equal(outcome.phase, 'Completed');
    const record = outcome.record!;
    assert.equal(record.status.cluster.server, api.url);
    assert.ok(outcome.logger.lines.some((l) => l.fields.cluster === api.url), 'the log names the cluster');
    const stored = await everythingStored(path.join(dir, 'store'));
    assert.ok(stored.includes(api.url), 'the record and log name the server');
    assert.ok(!stored.includes(password), 'no password in storage');
    const text = describeAsText(await describeBackup(store, { source: 'storage', name: 'shop-1', record }));
    assert.match(text, new RegExp(`^Cluster: +${api.url.replace(/[.]/g, '\\.')} \\(`, 'm'));
    assert.ok(!text.includes(password), text);

    const restored = await createRestore(restoreRequest('shop-1', { name: 'shop-1-again' }), record, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test', logger: silentLogger });
    assert.equal(restored.record!.status.cluster.server, api.url);
    assert.ok(!(await everythingStored(path.join(dir, 'store'))).includes(password), 'no password in the restore either');
    assert.ok(!describeRestore(restored.record!, await readRestoreResults(store, restored.record!)).includes(password));
  });

  it('describes records written with them without them', async () => {
    const outcome = await runBackup(backupRequest('shop-2', { includeNamespaces: ['shop'] }), { client, store, storageLocation: 'test' });
    const record = outcome.record!;
    const old = { ...record, status: { ...record.status, cluster: { ...record.status.cluster, server: withPassword('https://cluster.example:6443/k8s/') } } };
    const text = describeAsText(await describeBackup(store, { source: 'storage', name: 'shop-2', record: old }));
    assert.match(text, /^Cluster: +https:\/\/cluster\.example:6443\/k8s\/ \(/m);
    assert.ok(!text.includes(password), text);
  });

  it('keeps them out of the error when the server cannot be reached', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const { client: lost } = await connectCluster({ kubeconfig: await kubeconfigFor(withPassword(unreachable)) }, { retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    await assert.rejects(runBackup(backupRequest('lost'), { client: lost, store, storageLocation: 'test' }), (err: Error) => {
      assert.ok(err.message.includes(`cannot reach the API server ${unreachable} `), err.message);
      assert.ok(!err.message.includes(password), err.message);
      return true;
    });
  });
});
