import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BackupEngine } from '../../src/backup/backup-engine.js';
import { defaultFilters, defaultTtlMs } from '../../src/backup/backup-request.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { HttpKubeClient } from '../../src/kube/client.js';
import { Discovery, resourcePath } from '../../src/kube/discovery.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import { parseNamespaceMappings } from '../../src/restore/namespace-mappings.js';
import type { RestoreRequest } from '../../src/restore/restore-request.js';
import { createRestore } from '../../src/restore/restore-service.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import type { ArchiveObject } from '../builders/restore-archive.js';
import { captureObjects } from '../builders/captured-objects.js';
import { restoreRequest } from '../builders/restore-request.js';
import { createSampleWorkload, widgetCrd } from '../builders/restore-sample-workload.js';
import { comparable } from '../helpers/restore-compare.js';

/**
 * The acceptance test of restore (restore.md): back up namespaces with built-in and custom
 * resources (with the backup engine), delete them and the CRD, restore, and compare every
 * object with the original once what the server sets itself is removed.
 */
describe('restore round trip (API test server)', () => {
  let server: TestApiServer;
  let client: HttpKubeClient;
  let dir: string;
  let store: FileObjectStore;
  let objects: ArchiveObject[];
  let backup: BackupRecord;

  const namespaces = ['shop', 'shop-admin'];
  const crdName = widgetCrd.metadata.name!;

  async function get(object: ArchiveObject, namespace = object.object.metadata.namespace): Promise<KubeObject | undefined> {
    const discovery = await Discovery.load(client);
    const res = discovery.byQualifiedName(object.resource);
    assert.ok(res, `${object.resource} is not served`);
    return getIfExists<KubeObject>(client, resourcePath(res, namespace, object.object.metadata.name));
  }

  async function gone(pathname: string): Promise<void> {
    for (let i = 0; i < 500; i++) {
      if ((await getIfExists(client, pathname)) === undefined) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`${pathname} is still there`);
  }

  const restore = (overrides: Partial<RestoreRequest>) => createRestore(restoreRequest(backup.metadata.name, overrides), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });

  before(async () => {
    server = await startTestApiServer();
    client = new HttpKubeClient({ server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-round-trip-'));
    store = new FileObjectStore(dir);
    await createSampleWorkload(client, 'shop');
    await createSampleWorkload(client, 'shop-admin', { crd: false });
    objects = await captureObjects(client, namespaces, [{ resource: 'customresourcedefinitions.apiextensions.k8s.io', names: [crdName] }]);
    const outcome = await new BackupEngine(
      { name: 'shop-backup', filters: { ...defaultFilters, includeNamespaces: namespaces }, ttlMs: defaultTtlMs, labels: {}, annotations: {}, pageSize: 3, dryRun: false },
      { client, store, storageLocation: 'test store', logger: silentLogger },
    ).run();
    assert.equal(outcome.phase, 'Completed', JSON.stringify(outcome.results));
    backup = outcome.record!;
  });

  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('backs up the whole mix', () => {
    assert.equal(backup.status.progress.itemsBackedUp, objects.length);
    const kinds = new Set(objects.map((o) => o.object.kind));
    for (const kind of ['Namespace', 'Deployment', 'ReplicaSet', 'Pod', 'Service', 'ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'CustomResourceDefinition', 'Widget']) {
      assert.ok(kinds.has(kind), `no ${kind} in the backup`);
    }
  });

  it('restores every object, equal to the original, after the namespaces and the CRD are deleted', async () => {
    for (const ns of namespaces) await client.json({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` });
    await client.json({ method: 'DELETE', path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}` });
    for (const ns of namespaces) await gone(`/api/v1/namespaces/${ns}`);
    await gone(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crdName}`);

    const { outcome } = await restore({ includeOwnedResources: true });
    assert.equal(outcome.phase, 'Completed', JSON.stringify(outcome.errors));
    for (const original of objects) {
      const restored = await get(original);
      const label = `${original.resource} ${original.object.metadata.namespace ?? ''}/${original.object.metadata.name}`;
      assert.ok(restored, `${label} was not restored`);
      assert.deepEqual(comparable(restored), comparable(original.object), label);
    }
  });

  it('restores into a mapped namespace, leaving owned objects to their controllers', async () => {
    const { outcome } = await restore({ filters: { ...defaultFilters, includeNamespaces: ['shop'] }, namespaceMappings: parseNamespaceMappings('shop:shop-copy') });
    assert.equal(outcome.phase, 'Completed', JSON.stringify(outcome.errors));
    const map = { shop: 'shop-copy' };
    let compared = 0;
    for (const original of objects) {
      const ns = original.object.metadata.namespace;
      if (ns === 'shop-admin' || (original.resource === 'namespaces' && original.object.metadata.name !== 'shop')) continue;
      const label = `${original.resource} ${ns ?? ''}/${original.object.metadata.name}`;
      if (original.resource === 'namespaces') {
        const restored = (await client.json<KubeObject>({ method: 'GET', path: '/api/v1/namespaces/shop-copy' }));
        assert.deepEqual(comparable(restored), comparable(original.object, map), label);
        compared++;
        continue;
      }
      const restored = await get(original, ns === undefined ? undefined : map[ns as 'shop']);
      const owned = original.resource === 'replicasets.apps' || original.resource === 'pods';
      if (owned) {
        assert.equal(restored, undefined, `${label} is owned and must be left to its controller`);
        continue;
      }
      assert.ok(restored, `${label} was not restored`);
      assert.deepEqual(comparable(restored), comparable(original.object, map), label);
      compared++;
    }
    assert.ok(compared >= 10);
    assert.equal(outcome.countsByResource['pods']?.skipped, 2);
    assert.equal(outcome.countsByResource['replicasets.apps']?.skipped, 1);
  });

  it("gives the default ServiceAccount the cluster makes in a restored namespace the backup's imagePullSecrets", async () => {
    const sa = '/api/v1/namespaces/pull/serviceaccounts/default';
    await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pull' } } });
    const body = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'regcred' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') } };
    await client.json({ method: 'POST', path: '/api/v1/namespaces/pull/secrets', body });
    await client.json({ method: 'PATCH', path: sa, contentType: 'application/merge-patch+json', body: { imagePullSecrets: [{ name: 'regcred' }] } });
    const outcome = await new BackupEngine(
      { name: 'pull-backup', filters: { ...defaultFilters, includeNamespaces: ['pull'] }, ttlMs: defaultTtlMs, labels: {}, annotations: {}, pageSize: 100, dryRun: false },
      { client, store, storageLocation: 'test store', logger: silentLogger },
    ).run();
    assert.equal(outcome.phase, 'Completed', JSON.stringify(outcome.results));
    await client.json({ method: 'DELETE', path: '/api/v1/namespaces/pull' });
    await gone('/api/v1/namespaces/pull');

    const result = await createRestore(restoreRequest('pull-backup'), outcome.record!, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.countsByResource.serviceaccounts, { created: 0, updated: 1, skipped: 0, failed: 0 });
    assert.deepEqual(result.outcome.warnings.namespaces['pull'], undefined);
    assert.deepEqual((await client.json<KubeObject>({ method: 'GET', path: sa })).imagePullSecrets, [{ name: 'regcred' }]);
  });
});
