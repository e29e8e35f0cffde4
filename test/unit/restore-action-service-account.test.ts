import assert from 'node:assert/strict';
import { serviceAccountAction } from '../../src/restore/actions/service-account-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

describe('restore action: ServiceAccount', () => {
  it('drops references to token Secrets, by type in the backup or by generated name', () => {
    const item: KubeObject = {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'builder', namespace: 'a' },
      secrets: [{ name: 'builder-token-abcde' }, { name: 'long-lived' }, { name: 'registry-creds' }],
      imagePullSecrets: [{ name: 'registry-creds' }],
    };
    serviceAccountAction.apply(item, actionContext({ tokenSecrets: ['a/long-lived'] }));
    assert.deepEqual(item.secrets, [{ name: 'registry-creds' }]);
    assert.deepEqual(item.imagePullSecrets, [{ name: 'registry-creds' }]);
  });

  it('removes the list when only token references were in it', () => {
    const item: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'a' }, secrets: [{ name: 'default-token-xyz12' }] };
    serviceAccountAction.apply(item, actionContext());
    assert.equal('secrets' in item, false);
  });
});
