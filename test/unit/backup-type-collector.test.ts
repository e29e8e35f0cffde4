import assert from 'node:assert/strict';
import { ResultsCollector } from '../../src/backup/backup-results.js';
import type { PlannedType, TypeScope } from '../../src/backup/backup-plan.js';
import { serializeItem } from '../../src/backup/item-rules.js';
import { collectType, type CollectedItem } from '../../src/backup/type-collector.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import type { ApiResource } from '../../src/kube/discovery.js';
import type { KubeObject } from '../../src/kube/types.js';
import { MemoryLogger } from '../builders/backup-run.js';

const configMaps: ApiResource = {
  group: '',
  version: 'v1',
  groupVersion: 'v1',
  resource: 'configmaps',
  singular: 'configmap',
  kind: 'ConfigMap',
  shortNames: ['cm'],
  namespaced: true,
  verbs: ['list', 'create'],
  categories: [],
  preferred: true,
};

const configMap = (namespace: string, name: string, data: unknown = { key: `${namespace}/${name}` }): KubeObject => ({
  metadata: { namespace, name, uid: `uid-${name}`, managedFields: [{ manager: 'kubectl' }] },
  data,
});

/** Nested past what JSON.stringify can write: serialising it throws. */
function tooDeep(): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < 20_000; i++) value = [value];
  return value;
}

/** Answers every LIST with one page of `served`, and makes of each item what the request asks, as HttpKubeClient does. */
function listingClient(served: () => KubeObject[], seen: unknown[] = []): KubeClient {
  return {
    server: 'https://test',
    json: <T>(req: KubeRequest) => {
      const items = served().map((item) => (req.mapItem ? req.mapItem(item) : item));
      seen.push(...items);
      return Promise.resolve({ metadata: {}, items } as T);
    },
    stream: () => Promise.reject(new Error('not used')),
  };
}

async function collect(client: KubeClient, scope: TypeScope, results = new ResultsCollector()): Promise<CollectedItem[]> {
  const type: PlannedType = { resource: configMaps, key: 'configmaps', scope };
  const collected: CollectedItem[] = [];
  for await (const batch of collectType(type, { client, pageSize: 500, selectors: [undefined], logger: new MemoryLogger(), results })) collected.push(...batch);
  return collected;
}

describe('type collector: what is kept of listed objects', () => {
  it('stores each object as serialising the whole listed object does', async () => {
    const served = () => [configMap('a', 'one'), configMap('a', 'two', { text: 'grüße 🦀'.repeat(300) }), configMap('b', 'three')];
    const collected = await collect(listingClient(served), { kind: 'all-namespaces' });
    assert.deepEqual(
      collected.map((item) => item.body.toString('utf8')),
      served().map((object) => serializeItem(object, configMaps).toString('utf8')),
    );
    assert.deepEqual(
      collected.map((item) => item.listName),
      ['a/one', 'a/two', 'b/three'],
    );
  });

  it('keeps no more of a listed object than its metadata once it is parsed', async () => {
    const kept: unknown[] = [];
    const served = () => [configMap('a', 'one'), configMap('b', 'two')];
    await collect(listingClient(served, kept), { kind: 'all-namespaces', only: new Set(['a']) });
    assert.equal(kept.length, 2);
    for (const [i, object] of kept.entries()) {
      assert.ok(!('data' in (object as object)), 'the data of the object was let go');
      const identity = ({ name, namespace, uid }: KubeObject['metadata']) => ({ name, namespace, uid });
      assert.deepEqual(identity((object as KubeObject).metadata), identity(served()[i]!.metadata), 'the metadata is kept');
    }
  });

  it('serialises no object of a namespace the backup leaves out, and reports one it cannot serialise', async () => {
    // JSON.stringify asks each value for its JSON: the objects it serialised say so.
    const serialised: string[] = [];
    const watched = (namespace: string, name: string, value: unknown = 'v') => configMap(namespace, name, { toJSON: () => (serialised.push(`${namespace}/${name}`), { value }) });
    const results = new ResultsCollector();
    const served = () => [watched('a', 'one'), watched('b', 'deep', tooDeep())];
    const taken = await collect(listingClient(served), { kind: 'all-namespaces', only: new Set(['a']) }, results);
    assert.deepEqual(
      taken.map((item) => item.listName),
      ['a/one'],
    );
    assert.deepEqual(serialised, ['a/one']);
    assert.equal(results.errorCount, 0);
    // Taken, it is an error of the backup, and the others are stored.
    const withIt = await collect(listingClient(served), { kind: 'all-namespaces' }, results);
    assert.deepEqual(
      withIt.map((item) => item.listName),
      ['a/one'],
    );
    assert.equal(results.errorCount, 1);
    assert.match(JSON.stringify(results.toJSON()), /cannot serialise configmaps b\/deep/);
  });
});
