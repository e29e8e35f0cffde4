import assert from 'node:assert/strict';
import { ApiException, AppsV1Api, CoreV1Api, KubeConfig, KubernetesObjectApi, PatchStrategy, type KubernetesObject, type V1ConfigMap } from '@kubernetes/client-node';
import { Kubectl } from '../helpers/kubectl.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';

function clientsFor(server: TestApiServer): { core: CoreV1Api; apps: AppsV1Api; objects: KubernetesObjectApi } {
  const kc = new KubeConfig();
  kc.loadFromFile(server.kubeconfigPath);
  if (server.url.startsWith('http:')) {
    // client-node refuses plain HTTP unless TLS verification is off (there is no TLS to verify).
    kc.loadFromOptions({
      clusters: kc.getClusters().map((c) => ({ ...c, skipTLSVerify: true })),
      users: kc.getUsers(), contexts: kc.getContexts(), currentContext: kc.getCurrentContext(),
    });
  }
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), objects: KubernetesObjectApi.makeApiClient(kc) };
}

describe('test apiserver with @kubernetes/client-node', function () {
  this.timeout(30_000);
  let server: TestApiServer;

  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    await server.close();
  });

  it('lists and creates with the typed CoreV1Api', async () => {
    const { core } = clientsFor(server);
    const namespaces = await core.listNamespace();
    assert.deepEqual(namespaces.items.map((n) => n.metadata?.name), ['default', 'kube-node-lease', 'kube-public', 'kube-system']);
    assert.equal(namespaces.items[0]?.status?.phase, 'Active');

    await core.createNamespace({ body: { metadata: { name: 'cn' } } });
    const created = await core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'settings', labels: { app: 'x' } }, data: { a: '1' } } });
    assert.ok(created.metadata?.uid);
    assert.ok(created.metadata?.creationTimestamp instanceof Date);
    const read = await core.readNamespacedConfigMap({ namespace: 'cn', name: 'settings' });
    assert.equal(read.data?.a, '1');
    const labelled = await core.listNamespacedConfigMap({ namespace: 'cn', labelSelector: 'app=x' });
    assert.deepEqual(labelled.items.map((c) => c.metadata?.name), ['settings']);

    const page = await core.listConfigMapForAllNamespaces({ limit: 2 });
    assert.equal(page.items.length, 2);
    assert.ok(page.metadata?._continue);
    const next = await core.listConfigMapForAllNamespaces({ limit: 2, _continue: page.metadata?._continue });
    assert.notEqual(next.items[0]?.metadata?.uid, page.items[0]?.metadata?.uid);

    await assert.rejects(core.readNamespacedConfigMap({ namespace: 'cn', name: 'missing' }), (err: unknown) => err instanceof ApiException && err.code === 404);
    await assert.rejects(core.createNamespacedConfigMap({ namespace: 'cn', body: { metadata: { name: 'settings' } } }), (err: unknown) => err instanceof ApiException && err.code === 409);
  });

  it('creates, lists, reads, patches and deletes with KubernetesObjectApi', async () => {
    const { objects, apps } = clientsFor(server);
    const deployment: KubernetesObject & { spec: Record<string, unknown> } = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    };
    const created = await objects.create(deployment);
    assert.equal(created.metadata?.generation, 1);
    const cm = await objects.create<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' }, data: { k: 'v' } });
    assert.equal(cm.data?.k, 'v');

    const list = await objects.list('apps/v1', 'Deployment', 'default');
    assert.deepEqual(list.items.map((d) => d.metadata?.name), ['web']);
    const read = await objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' } });
    assert.equal(read.metadata?.uid, cm.metadata?.uid);

    const patched = await objects.patch(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 3 } } as KubernetesObject,
      undefined, undefined, undefined, undefined, PatchStrategy.MergePatch,
    );
    assert.equal(patched.metadata?.generation, 2);
    assert.equal((await apps.readNamespacedDeployment({ namespace: 'default', name: 'web' })).spec?.replicas, 3);

    await objects.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' } });
    await assert.rejects(objects.read({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'obj', namespace: 'default' } }), (err: unknown) => err instanceof ApiException && err.code === 404);
  });

  it('works over HTTPS with the CA from the kubeconfig, for client-node and kubectl', async () => {
    const secure = await startTestApiServer({ tls: true });
    try {
      assert.match(secure.url, /^https:\/\/127\.0\.0\.1:\d+$/);
      const { core } = clientsFor(secure);
      assert.equal((await core.listNamespace()).items.length, 4);
      const kubectl = new Kubectl(secure.kubeconfigPath);
      assert.match(await kubectl.ok(['get', 'ns', 'default']), /default\s+Active/);
    } finally {
      await secure.close();
    }
  });

  it('works with legacy discovery only', async () => {
    const legacy = await startTestApiServer({ aggregatedDiscovery: false });
    try {
      const kubectl = new Kubectl(legacy.kubeconfigPath);
      assert.match(await kubectl.ok(['api-resources']), /deployments\s+deploy\s+apps\/v1\s+true\s+Deployment/);
      assert.ok(legacy.requestLog.list().some((e) => e.path === '/apis/apps/v1'), 'kubectl fell back to group-version discovery');
    } finally {
      await legacy.close();
    }
  });
});
