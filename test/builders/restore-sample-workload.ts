import type { KubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';

/**
 * A namespace with the mix a round trip must bring back: a Deployment with its ReplicaSet and
 * pods (owner references by uid), a Service, ConfigMaps, Secrets, a ServiceAccount, RBAC, and
 * a CRD with custom resources. Created through the API, in dependency order, so that owner
 * uids are real.
 */
export const widgetCrd: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.shop.example.com' },
  spec: {
    group: 'shop.example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList', shortNames: ['wg'] },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } } } } },
      },
    ],
  },
};

async function post(client: KubeClient, path: string, body: KubeObject): Promise<KubeObject> {
  return client.json<KubeObject>({ method: 'POST', path, body });
}

async function waitEstablished(client: KubeClient, name: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const crd = await client.json<{ status?: { conditions?: { type: string; status: string }[] } }>({ method: 'GET', path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}` });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`CRD ${name} not established`);
}

export async function createSampleWorkload(client: KubeClient, ns: string, options: { crd?: boolean } = {}): Promise<void> {
  const api = `/api/v1/namespaces/${ns}`;
  const apps = `/apis/apps/v1/namespaces/${ns}`;
  const rbac = `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}`;
  await post(client, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { team: 'shop' }, annotations: { owner: 'shop-team@example.com' } } });
  if (options.crd !== false) {
    await post(client, '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', widgetCrd);
    await waitEstablished(client, 'widgets.shop.example.com');
  }
  await post(client, `${api}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'shop-app', labels: { app: 'shop' } } });
  await post(client, `${api}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shop-config', labels: { app: 'shop' } }, data: { 'app.yaml': 'color: blue\nsize: 3\n' } });
  await post(client, `${api}/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'feature-flags', annotations: { note: 'flags' } }, data: { checkout: 'on' } });
  await post(client, `${api}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db' }, type: 'Opaque', data: { password: Buffer.from('s3cret-password').toString('base64') } });
  await post(client, `${api}/secrets`, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-tls' }, type: 'kubernetes.io/tls', data: { 'tls.crt': Buffer.from('cert').toString('base64'), 'tls.key': Buffer.from('key').toString('base64') } });
  await post(client, `${rbac}/roles`, { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'shop-reader' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }] });
  await post(client, `${rbac}/rolebindings`, {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: { name: 'shop-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'shop-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'shop-app', namespace: ns }],
  });
  await post(client, `${api}/services`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'shop', labels: { app: 'shop' } }, spec: { type: 'NodePort', selector: { app: 'shop' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
  const template = { metadata: { labels: { app: 'shop', 'pod-template-hash': '5d4f8' } }, spec: { serviceAccountName: 'shop-app', containers: [{ name: 'shop', image: 'registry.example.com/shop:1.4.2', ports: [{ containerPort: 8080 }] }] } };
  const deployment = await post(client, `${apps}/deployments`, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', labels: { app: 'shop' } },
    spec: { replicas: 2, selector: { matchLabels: { app: 'shop' } }, template: { ...template, metadata: { labels: { app: 'shop' } } } },
  });
  const ownerRef = (o: KubeObject) => [{ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  const rs = await post(client, `${apps}/replicasets`, {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'shop-5d4f8', labels: template.metadata.labels, ownerReferences: ownerRef(deployment) },
    spec: { replicas: 2, selector: { matchLabels: template.metadata.labels }, template },
  });
  for (const suffix of ['x7k2p', 'q9m4z']) {
    await post(client, `${api}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name: `shop-5d4f8-${suffix}`, labels: template.metadata.labels, ownerReferences: ownerRef(rs) }, spec: template.spec });
  }
  if (options.crd !== false) {
    for (const [name, size] of [['small', 1], ['large', 5]] as const) {
      await post(client, `/apis/shop.example.com/v1/namespaces/${ns}/widgets`, { apiVersion: 'shop.example.com/v1', kind: 'Widget', metadata: { name, labels: { app: 'shop' } }, spec: { size, color: 'blue' } });
    }
  }
}
