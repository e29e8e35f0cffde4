import assert from 'node:assert/strict';
import type { ListBody, Obj } from '../apiserver/api-shapes.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { RawClient } from '../apiserver/raw-client.js';
import { eventually } from '../helpers/kubectl.js';

describe('test apiserver: simulated workload controllers', () => {
  let server: TestApiServer;
  let api: RawClient;

  before(async () => {
    server = await startTestApiServer({ workloadControllers: true });
    api = new RawClient(server);
  });
  after(async () => {
    await server.close();
  });

  const list = async (path: string): Promise<Obj[]> => (await api.json<ListBody>('GET', path)).body.items;

  it('runs a Deployment through a ReplicaSet to running pods, and cascades its deletion', async () => {
    await api.json('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'web' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
    });
    await eventually(async () => (await api.json<Obj>('GET', '/apis/apps/v1/namespaces/default/deployments/web')).body.status?.readyReplicas === 2, 3000, 'deployment ready');
    const [rs] = await list('/apis/apps/v1/namespaces/default/replicasets');
    assert.match(rs?.metadata.name ?? '', /^web-[a-z0-9]+$/);
    assert.equal(rs?.metadata.ownerReferences?.[0]?.name, 'web');
    const pods = await list('/api/v1/namespaces/default/pods');
    assert.equal(pods.length, 2);
    for (const pod of pods) {
      assert.equal(pod.metadata.ownerReferences?.[0]?.uid, rs?.metadata.uid);
      assert.equal(pod.status?.phase, 'Running');
      assert.equal((pod.spec as { nodeName: string }).nodeName, 'test-node');
    }
    await api.json('DELETE', '/apis/apps/v1/namespaces/default/deployments/web');
    await eventually(async () => (await list('/api/v1/namespaces/default/pods')).length === 0, 3000, 'pods to go');
    assert.deepEqual(await list('/apis/apps/v1/namespaces/default/replicasets'), []);
  });

  it('gives Services with a selector Endpoints and a managed EndpointSlice of their running pods', async () => {
    await api.json('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'api' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'api', image: 'nginx' }] } } },
    });
    const svc = (await api.json<Obj>('POST', '/api/v1/namespaces/default/services', { metadata: { name: 'api' }, spec: { selector: { app: 'api' }, ports: [{ port: 80, targetPort: 8080 }] } })).body;
    await eventually(async () => {
      const ep = await api.json<Obj & { subsets?: { addresses: unknown[] }[] }>('GET', '/api/v1/namespaces/default/endpoints/api');
      return ep.status === 200 && ep.body.subsets?.[0]?.addresses.length === 2;
    }, 3000, 'endpoints of both pods');
    const slices = await list('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dapi');
    assert.equal(slices.length, 1);
    assert.equal(slices[0]?.metadata.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
    assert.equal(slices[0]?.metadata.ownerReferences?.[0]?.uid, svc.metadata.uid);
    await api.json('DELETE', '/api/v1/namespaces/default/services/api');
    await eventually(async () => (await api.request('GET', '/api/v1/namespaces/default/endpoints/api')).status === 404, 3000, 'endpoints to go');
    await eventually(async () => (await list('/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dapi')).length === 0, 3000, 'slice to go');
    assert.equal((await api.request('GET', '/api/v1/namespaces/default/endpoints/kubernetes')).status, 200, 'the apiserver endpoints stay');
  });

  it('completes a Job with one succeeded pod', async () => {
    await api.json('POST', '/apis/batch/v1/namespaces/default/jobs', {
      metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
    await eventually(async () => (await api.json<Obj>('GET', '/apis/batch/v1/namespaces/default/jobs/once')).body.status?.succeeded === 1, 3000, 'job to complete');
    const pods = await list('/api/v1/namespaces/default/pods?labelSelector=job-name%3Donce');
    assert.equal(pods.length, 1);
    assert.equal(pods[0]?.status?.phase, 'Succeeded');
  });
});
