import assert from 'node:assert/strict';
import { persistentVolumeAction } from '../../src/restore/actions/persistent-volume-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

describe('restore action: PersistentVolume', () => {
  it("drops claimRef's uid and resourceVersion and maps its namespace", () => {
    const item: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv1' },
      spec: { capacity: { storage: '1Gi' }, claimRef: { kind: 'PersistentVolumeClaim', namespace: 'a', name: 'data', uid: 'u1', resourceVersion: '42', apiVersion: 'v1' } },
    };
    persistentVolumeAction.apply(item, actionContext({ mappings: { a: 'b' } }));
    assert.deepEqual(item.spec, { capacity: { storage: '1Gi' }, claimRef: { kind: 'PersistentVolumeClaim', namespace: 'b', name: 'data', apiVersion: 'v1' } });
  });

  it('leaves an unclaimed volume alone', () => {
    const item: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' } } };
    persistentVolumeAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { capacity: { storage: '1Gi' } });
  });
});
