import assert from 'node:assert/strict';
import { Kubectl, eventually } from '../helpers/kubectl.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';

interface Item {
  kind?: string;
  apiVersion?: string;
  metadata: { name: string; namespace?: string; uid: string; resourceVersion: string; generation?: number; deletionTimestamp?: string; finalizers?: string[]; annotations?: Record<string, string> };
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
}
interface List {
  kind: string;
  metadata: { continue?: string; remainingItemCount?: number; resourceVersion: string };
  items: Item[];
}

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
    subresources: {status: {}}
    additionalPrinterColumns:
    - {name: Color, type: string, jsonPath: .spec.color}
`;

describe('test apiserver with the real kubectl', function () {
  this.timeout(60_000);
  let server: TestApiServer;
  let kubectl: Kubectl;

  before(async () => {
    server = await startTestApiServer();
    kubectl = new Kubectl(server.kubeconfigPath);
  });
  after(async () => {
    await server.close();
  });

  it('reports its version and lists the start-up namespaces', async () => {
    assert.match(await kubectl.ok(['version']), /Server Version: v1\.32\.0/);
    const out = await kubectl.ok(['get', 'namespaces']);
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) assert.match(out, new RegExp(`^${ns}\\s+Active\\s`, 'm'));
    assert.match(await kubectl.ok(['get', 'nodes']), /test-node\s+Ready/);
    assert.match(await kubectl.ok(['get', 'svc', 'kubernetes']), /kubernetes\s+ClusterIP\s+10\.96\.0\.1\s/);
  });

  it('answers kubectl auth can-i and whoami (everyone is an administrator)', async () => {
    assert.equal((await kubectl.ok(['auth', 'can-i', 'delete', 'secrets', '-A'])).trim(), 'yes');
    assert.match(await kubectl.ok(['auth', 'whoami']), /Username\s+kubernetes-admin/);
  });

  it('shows api-resources with verbs, short names and scope', async () => {
    const out = await kubectl.ok(['api-resources', '-o', 'wide']);
    const row = (name: string, group: string): string => {
      const line = out.split('\n').find((l) => l.startsWith(`${name} `) && l.includes(group));
      assert.ok(line, `${name} (${group}) is listed`);
      return line.replace(/\s+/g, ' ');
    };
    assert.match(row('configmaps', ' v1 '), /^configmaps cm v1 true ConfigMap create,delete,deletecollection,get,list,patch,update,watch/);
    assert.match(row('namespaces', ' v1 '), /^namespaces ns v1 false Namespace create,delete,get,list,patch,update,watch/);
    assert.match(row('componentstatuses', ' v1 '), /^componentstatuses cs v1 false ComponentStatus get,list/);
    assert.match(row('deployments', 'apps/v1'), /^deployments deploy apps\/v1 true Deployment .* all$/);
    assert.match(row('clusterroles', 'rbac'), /^clusterroles rbac\.authorization\.k8s\.io\/v1 false ClusterRole/);
    assert.match(row('customresourcedefinitions', 'apiextensions'), /^customresourcedefinitions crd,crds apiextensions\.k8s\.io\/v1 false/);
  });

  it('creates from a file, applies twice, and deletes', async () => {
    const manifest = (value: string, extraEnv: string): string => `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: default, labels: {app: web}}
data: {key: "${value}"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        env: [{name: A, value: "1"}${extraEnv}]
        ports: [{containerPort: 80}]
`;
    assert.match(await kubectl.ok(['create', '-f', '-'], manifest('one', '')), /configmap\/app-config created/);
    const again = await kubectl.run(['create', '-f', '-'], manifest('one', ''));
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /AlreadyExists.*configmaps "app-config" already exists/);

    assert.match(await kubectl.ok(['delete', '-f', '-'], manifest('one', '')), /deployment.apps "web" deleted/);
    assert.match(await kubectl.ok(['apply', '-f', '-'], manifest('one', '')), /deployment.apps\/web created/);
    const applied = await kubectl.ok(['apply', '-f', '-'], manifest('two', ', {name: B, value: "2"}'));
    assert.match(applied, /configmap\/app-config configured/);
    assert.match(applied, /deployment.apps\/web configured/);
    assert.match(await kubectl.ok(['apply', '-f', '-'], manifest('two', ', {name: B, value: "2"}')), /configmap\/app-config unchanged/);

    const cm = await kubectl.json<Item>(['get', 'configmap', 'app-config']);
    assert.equal(cm.data?.key, 'two');
    const deploy = await kubectl.json<Item & { spec: { template: { spec: { containers: { env: unknown[] }[] } } } }>(['get', 'deploy', 'web']);
    assert.deepEqual(deploy.spec.template.spec.containers[0]?.env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }]);
    assert.equal(deploy.metadata.generation, 2);

    assert.match(await kubectl.ok(['delete', 'configmap', 'app-config']), /configmap "app-config" deleted/);
    const gone = await kubectl.run(['get', 'configmap', 'app-config']);
    assert.match(gone.stderr, /NotFound.*configmaps "app-config" not found/);
  });

  it('pages with get --raw and a continue token', async () => {
    await server.seed(['p1', 'p2', 'p3'].map((name) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'paging' } })));
    const first = JSON.parse(await kubectl.ok(['get', '--raw', '/api/v1/namespaces/paging/configmaps?limit=1'])) as List;
    assert.equal(first.kind, 'ConfigMapList');
    assert.equal(first.items.length, 1);
    assert.equal(first.items[0]?.kind, undefined, 'built-in list items carry no kind');
    assert.equal(first.metadata.remainingItemCount, 3);
    assert.ok(first.metadata.continue);
    const second = JSON.parse(await kubectl.ok(['get', '--raw', `/api/v1/namespaces/paging/configmaps?limit=1&continue=${first.metadata.continue}`])) as List;
    assert.notEqual(second.items[0]?.metadata.name, first.items[0]?.metadata.name);
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion);

    const all = JSON.parse(await kubectl.ok(['get', '--raw', '/api/v1/configmaps?limit=1'])) as List;
    assert.ok(all.metadata.continue, 'cluster-wide list has more pages');
    assert.match(await kubectl.ok(['get', 'configmaps', '-n', 'paging', '--chunk-size=1']), /p1[\s\S]*p2[\s\S]*p3/);
  });

  it('serves a CRD and its custom resources by plural and short name', async () => {
    assert.match(await kubectl.ok(['apply', '-f', '-'], CRD), /widgets.example.com created/);
    await kubectl.ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=10s']);
    await kubectl.ok(['apply', '-f', '-'], 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w1, namespace: default}\nspec: {color: blue}\n');
    assert.match(await kubectl.ok(['get', 'widgets']), /NAME\s+COLOR\s*\nw1\s+blue/);
    assert.match(await kubectl.ok(['get', 'wd', 'w1']), /w1\s+blue/);
    const list = await kubectl.json<List>(['get', 'widgets.example.com']);
    assert.equal(list.items[0]?.kind, 'Widget');
    const raw = JSON.parse(await kubectl.ok(['get', '--raw', '/apis/example.com/v1/namespaces/default/widgets'])) as List;
    assert.equal(raw.items[0]?.apiVersion, 'example.com/v1', 'custom resource list items keep kind and apiVersion');
    await kubectl.ok(['delete', 'crd', 'widgets.example.com']);
    await eventually(async () => (await kubectl.run(['get', '--raw', '/apis/example.com/v1'])).code !== 0, 5000, 'CRD group to go');
  });

  it('garbage-collects dependents of an owner deleted in background and in foreground', async () => {
    const owner = async (name: string): Promise<Item> => {
      await kubectl.ok(['create', 'configmap', name]);
      return kubectl.json<Item>(['get', 'configmap', name]);
    };
    const dependent = (name: string, o: Item): string => JSON.stringify({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name, namespace: 'default', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: o.metadata.name, uid: o.metadata.uid, blockOwnerDeletion: true }] },
    });
    const exists = async (name: string): Promise<boolean> => (await kubectl.run(['get', 'configmap', name])).code === 0;

    const bg = await owner('bg-owner');
    await kubectl.ok(['create', '-f', '-'], dependent('bg-dep', bg));
    await kubectl.ok(['delete', 'configmap', 'bg-owner']);
    await eventually(async () => !(await exists('bg-dep')), 5000, 'background dependent to be collected');

    const fg = await owner('fg-owner');
    await kubectl.ok(['create', '-f', '-'], dependent('fg-dep', fg));
    await kubectl.ok(['delete', 'configmap', 'fg-owner', '--cascade=foreground', '--wait=true']);
    assert.equal(await exists('fg-owner'), false);
    assert.equal(await exists('fg-dep'), false);
  });
});
