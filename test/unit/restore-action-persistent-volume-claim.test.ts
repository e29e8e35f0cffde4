import assert from 'node:assert/strict';
import { persistentVolumeClaimAction } from '../../src/restore/actions/persistent-volume-claim-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

describe('restore action: PersistentVolumeClaim', () => {
  it('drops the bind annotations and keeps the others', () => {
    const item: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: {
        name: 'data',
        namespace: 'a',
        annotations: { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/selected-node': 'node-1', team: 'x' },
      },
      spec: { volumeName: 'pv1' },
    };
    persistentVolumeClaimAction.apply(item, actionContext());
    assert.deepEqual(item.metadata.annotations, { team: 'x' });
    assert.deepEqual(item.spec, { volumeName: 'pv1' });
  });

  it('removes annotations that end up empty', () => {
    const item: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd', annotations: { 'pv.kubernetes.io/bind-completed': 'yes' } } };
    persistentVolumeClaimAction.apply(item, actionContext());
    assert.equal('annotations' in item.metadata, false);
  });
});
