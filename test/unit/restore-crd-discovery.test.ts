import assert from 'node:assert/strict';
import { Discovery, type ApiResource } from '../../src/kube/discovery.js';
import { waitUntilServed } from '../../src/restore/crd-discovery.js';

function served(...names: string[]): Discovery {
  return Discovery.fromResources(
    names.map((name): ApiResource => {
      const [resource = '', ...group] = name.split('.');
      return { group: group.join('.'), version: 'v1', groupVersion: `${group.join('.')}/v1`, resource, singular: resource, kind: resource, shortNames: [], namespaced: true, verbs: ['create'], categories: [], preferred: true };
    }),
  );
}

/** A loader whose discovery serves the given names from its nth load on, as discovery trails the Established condition. */
function trailing(from: Record<string, number>): { load: () => Promise<Discovery>; loads: number[] } {
  const loads: number[] = [];
  return {
    loads,
    load: async () => {
      loads.push(Date.now());
      return served(...Object.entries(from).filter(([, n]) => loads.length >= n).map(([name]) => name));
    },
  };
}

describe('restore: waiting for CRDs to be served', () => {
  it('loads discovery again until it serves every CRD', async () => {
    const loader = trailing({ 'widgets.example.com': 1, 'gadgets.example.com': 4 });
    const { discovery, unserved } = await waitUntilServed(new Set(['widgets.example.com', 'gadgets.example.com']), loader.load, { timeoutMs: 5000, pollIntervalMs: 1 });
    assert.deepEqual(unserved, []);
    assert.equal(loader.loads.length, 4);
    assert.ok(discovery.all().some((r) => r.resource === 'gadgets'));
  });

  it('loads once when everything is served already', async () => {
    const loader = trailing({ 'widgets.example.com': 1 });
    assert.deepEqual((await waitUntilServed(new Set(['widgets.example.com']), loader.load, { timeoutMs: 5000, pollIntervalMs: 1000 })).unserved, []);
    assert.equal(loader.loads.length, 1);
  });

  it('waits twice as long each time, up to its cap', async () => {
    const loader = trailing({ 'widgets.example.com': 6 });
    const pauses: number[] = [];
    await waitUntilServed(new Set(['widgets.example.com']), loader.load, { timeoutMs: 5000, pollIntervalMs: 10, maxPollIntervalMs: 40, sleep: async (ms) => void pauses.push(ms) });
    assert.deepEqual(pauses, [10, 20, 40, 40, 40]);
  });

  it('gives up at the timeout with what is still not served, and the last discovery', async () => {
    const loader = trailing({ 'widgets.example.com': 1, 'gadgets.example.com': Infinity });
    const started = Date.now();
    const { discovery, unserved } = await waitUntilServed(new Set(['widgets.example.com', 'gadgets.example.com']), loader.load, { timeoutMs: 60, pollIntervalMs: 5 });
    assert.deepEqual(unserved, ['gadgets.example.com']);
    assert.ok(Date.now() - started >= 59 && Date.now() - started < 1000);
    assert.ok(loader.loads.length >= 2);
    assert.ok(discovery.all().some((r) => r.resource === 'widgets'));
  });
});
