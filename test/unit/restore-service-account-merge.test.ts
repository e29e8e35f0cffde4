import assert from 'node:assert/strict';
import type { KubeObject } from '../../src/kube/types.js';
import { serviceAccountMerge } from '../../src/restore/service-account-merge.js';

const serviceAccount = (rest: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'a' }, ...rest });

describe('restore: merging into an existing ServiceAccount', () => {
  it("appends the backup's references it lacks, by name, after its own", () => {
    const existing = serviceAccount({ imagePullSecrets: [{ name: 'local' }], secrets: [{ name: 'creds', namespace: 'a' }] });
    const desired = serviceAccount({ imagePullSecrets: [{ name: 'regcred' }, { name: 'local' }], secrets: [{ name: 'creds' }, { name: 'more' }] });
    assert.deepEqual(serviceAccountMerge.additions(existing, desired), {
      patch: [
        { op: 'add', path: '/imagePullSecrets/-', value: { name: 'regcred' } },
        { op: 'add', path: '/secrets/-', value: { name: 'more' } },
      ],
      added: ['imagePullSecrets regcred', 'secrets more'],
    });
  });

  it('adds a list the ServiceAccount does not have whole, and nothing when it lacks nothing', () => {
    const desired = serviceAccount({ imagePullSecrets: [{ name: 'regcred' }, { name: 'other' }] });
    assert.deepEqual(serviceAccountMerge.additions(serviceAccount({}), desired).patch, [{ op: 'add', path: '/imagePullSecrets', value: [{ name: 'regcred' }, { name: 'other' }] }]);
    assert.deepEqual(serviceAccountMerge.additions(serviceAccount({ imagePullSecrets: [{ name: 'other' }, { name: 'regcred' }, { name: 'mine' }] }), desired), { patch: [], added: [] });
  });

  it('leaves the reference lists out of what a merge patch replaces, and the object as it was', () => {
    const desired = serviceAccount({ imagePullSecrets: [{ name: 'regcred' }], secrets: [{ name: 'more' }], automountServiceAccountToken: false });
    assert.deepEqual(serviceAccountMerge.withoutMerged(desired), serviceAccount({ automountServiceAccountToken: false }));
    assert.deepEqual(desired.imagePullSecrets, [{ name: 'regcred' }]);
  });
});
