import assert from 'node:assert/strict';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import { escapeFieldValue, listByName } from '../../src/kube/list-by-name.js';
import type { KubeObject } from '../../src/kube/types.js';

/** A client whose LISTs answer `items`, and that records what it was asked. */
function listingClient(items: KubeObject[]): { client: KubeClient; asked: KubeRequest[] } {
  const asked: KubeRequest[] = [];
  const client: KubeClient = {
    server: 'https://test',
    json: <T>(req: KubeRequest) => {
      asked.push(req);
      return Promise.resolve({ items } as T);
    },
    stream: () => Promise.reject(new Error('not used')),
  };
  return { client, asked };
}

describe('listByName: one object read with list, never get', () => {
  it('lists the collection with a metadata.name field selector, and the label selector when given', async () => {
    const { client, asked } = listingClient([{ metadata: { name: 'cm', namespace: 'shop' } }]);
    const found = await listByName(client, '/api/v1/namespaces/shop/configmaps', 'cm', { labelSelector: 'app=web' });
    assert.equal(found?.metadata.name, 'cm');
    assert.deepEqual(asked.map((r) => [r.method, r.path, r.query]), [['GET', '/api/v1/namespaces/shop/configmaps', { fieldSelector: 'metadata.name=cm', labelSelector: 'app=web' }]]);
  });

  it('is undefined when nothing has that name: a LIST answers an empty list where a GET would 404', async () => {
    const { client } = listingClient([]);
    assert.equal(await listByName(client, '/api/v1/namespaces', 'gone'), undefined);
  });

  it('takes the object of that name from the answer, never another one it holds', async () => {
    const { client } = listingClient([{ metadata: { name: 'other' } }, { metadata: { name: 'cm' } }]);
    assert.equal((await listByName(client, '/api/v1/namespaces/shop/configmaps', 'cm'))?.metadata.name, 'cm');
    const { client: onlyOther } = listingClient([{ metadata: { name: 'other' } }]);
    assert.equal(await listByName(onlyOther, '/api/v1/namespaces/shop/configmaps', 'cm'), undefined);
  });

  it('escapes what would end the selector term, as fields.EscapeValue does', async () => {
    assert.equal(escapeFieldValue('system:a,b=c\\d'), 'system:a\\,b\\=c\\\\d');
    const { client, asked } = listingClient([{ metadata: { name: 'a,b=c' } }]);
    assert.equal((await listByName(client, '/apis/rbac.authorization.k8s.io/v1/clusterroles', 'a,b=c'))?.metadata.name, 'a,b=c');
    assert.deepEqual(asked[0]!.query, { fieldSelector: 'metadata.name=a\\,b\\=c' });
  });
});
