import assert from 'node:assert/strict';
import { HttpKubeClient } from '../../src/kube/client.js';
import { Discovery, type ApiResource } from '../../src/kube/discovery.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';

const widgetCrd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', shortNames: ['wd'], categories: ['all'] },
    // v2 is the storage version, v1 is served as well: the preferred version is the first.
    versions: [
      { name: 'v2', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } }, subresources: { status: {} } },
      { name: 'v1', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } },
    ],
  },
};

async function discover(server: TestApiServer): Promise<{ resources: ApiResource[]; requests: string[] }> {
  server.requestLog.clear();
  const client = new HttpKubeClient({ server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} });
  const discovery = await Discovery.load(client);
  const key = (r: ApiResource) => `${r.groupVersion} ${r.resource}`;
  const resources = [...discovery.all()].sort((a, b) => key(a).localeCompare(key(b)));
  return { resources, requests: server.requestLog.list().map((e) => e.path) };
}

describe('Discovery.load against the API test server', () => {
  let aggregated: TestApiServer;
  let legacy: TestApiServer;

  before(async () => {
    aggregated = await startTestApiServer();
    legacy = await startTestApiServer({ aggregatedDiscovery: false });
    for (const server of [aggregated, legacy]) {
      await server.seed([widgetCrd]);
    }
  });

  after(async () => {
    await aggregated?.close();
    await legacy?.close();
  });

  it('reads aggregated discovery in two requests, where the server serves it', async () => {
    const { requests, resources } = await discover(aggregated);
    assert.deepEqual([...requests].sort(), ['/api', '/apis']);
    assert.ok(resources.some((r) => r.groupVersion === 'apps/v1' && r.resource === 'deployments'));
  });

  it('reads legacy discovery, a request per group version, where the server serves no aggregated discovery', async () => {
    const { requests } = await discover(legacy);
    assert.ok(requests.includes('/api/v1') && requests.includes('/apis/apps/v1'), requests.join(' '));
  });

  it('reads legacy discovery without a group version that does not answer, and names it, as kubectl and Velero do', async () => {
    // An aggregated API server that is down (metrics-server, most often) answers 503 for its group.
    legacy.faults.add({ method: 'GET', path: '^/apis/example.com/v2$', status: 503, times: 0 });
    try {
      const client = new HttpKubeClient({ server: legacy.url, headers: async () => ({ Authorization: `Bearer ${legacy.token}` }), tls: {} }, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      const discovery = await Discovery.load(client);
      assert.deepEqual(
        discovery.unread.map((u) => u.groupVersion),
        ['example.com/v2'],
      );
      assert.match(discovery.unread[0]!.reason, /503/);
      assert.ok(discovery.resolve('deployments'), 'the groups that answered are read');
      assert.deepEqual(
        discovery.all().filter((r) => r.group === 'example.com').map((r) => r.groupVersion),
        ['example.com/v1'],
      );
    } finally {
      legacy.faults.clear();
    }
  });

  it('fails where the core group does not answer: nothing can be backed up without it', async () => {
    legacy.faults.add({ method: 'GET', path: '^/api/v1$', status: 503, times: 0 });
    try {
      const client = new HttpKubeClient({ server: legacy.url, headers: async () => ({ Authorization: `Bearer ${legacy.token}` }), tls: {} }, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 } });
      await assert.rejects(Discovery.load(client), /503/);
    } finally {
      legacy.faults.clear();
    }
  });

  it('finds the same resources either way: kinds, scopes, verbs, names, preferred versions and subresources', async () => {
    const fromAggregated = (await discover(aggregated)).resources;
    const fromLegacy = (await discover(legacy)).resources;
    assert.deepEqual(fromAggregated, fromLegacy);
    const widgets = fromAggregated.filter((r) => r.group === 'example.com');
    assert.deepEqual(
      widgets.map((r) => [r.version, r.resource, r.preferred, r.namespaced, r.kind]),
      [
        ['v1', 'widgets', false, true, 'Widget'],
        ['v2', 'widgets', true, true, 'Widget'],
        ['v2', 'widgets/status', true, true, 'Widget'],
      ],
    );
    assert.deepEqual(widgets[1]!.shortNames, ['wd']);
    assert.ok(fromAggregated.some((r) => r.resource === 'pods/log' && r.group === ''));
  });
});
