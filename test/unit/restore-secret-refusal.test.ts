import assert from 'node:assert/strict';
import { KubeApiError } from '../../src/kube/api-error.js';
import { secretRefusal } from '../../src/restore/secret-refusal.js';

describe("secretRefusal (the API server's refusal of a Secret, without its message)", () => {
  const status = {
    reason: 'Invalid',
    message: 'Secret "db" is invalid: data[password]: Invalid value: "hunter2"',
    details: { causes: [{ field: 'data[password]', message: 'Invalid value: "hunter2"' }, { field: 'data[password]' }, { message: 'no field' }, { field: 'metadata.labels' }] },
  };

  it('names the code, the reason and each field once, for a Secret, its collection or any namespace', () => {
    for (const path of ['/api/v1/namespaces/shop/secrets', '/api/v1/namespaces/shop/secrets/db', '/api/v1/secrets']) {
      const text = secretRefusal(new KubeApiError(422, 'POST', path, status));
      assert.equal(text, "422 Invalid (fields: data[password], metadata.labels); the message is not shown: it may quote the Secret's data");
    }
    assert.equal(secretRefusal(new KubeApiError(500, 'PATCH', '/api/v1/namespaces/shop/secrets/db', undefined)), "500; the message is not shown: it may quote the Secret's data");
  });

  it('leaves refusals of anything else to be shown as they are', () => {
    for (const path of ['/api/v1/namespaces/shop/configmaps/db', '/api/v1/namespaces/secrets', '/apis/example.com/v1/namespaces/shop/secrets/db', '/api/v1/namespaces/shop/secretstores']) {
      assert.equal(secretRefusal(new KubeApiError(422, 'POST', path, status)), undefined, path);
    }
  });
});
