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

  it('drops the storage-provisioner annotations that the old cluster set, as Velero does', () => {
    const item: KubeObject = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'd', annotations: { 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com', 'volume.beta.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com', team: 'x' } },
    };
    persistentVolumeClaimAction.apply(item, actionContext());
    assert.deepEqual(item.metadata.annotations, { team: 'x' });
  });

  it('clears spec.volumeName when the volume of the backup is provisioned anew (reclaim policy Delete), and keeps it otherwise', () => {
    const claim = (): KubeObject => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data', namespace: 'a' },
      spec: { storageClassName: 'gp3', volumeName: 'pv1', resources: { requests: { storage: '1Gi' } } },
    });
    const asked: string[] = [];
    const kept = claim();
    persistentVolumeClaimAction.apply(kept, actionContext({ provisionsVolumeAnew: (name) => (asked.push(name), false) }));
    assert.deepEqual(asked, ['pv1']);
    assert.equal((kept.spec as { volumeName?: string }).volumeName, 'pv1');
    const reset = claim();
    persistentVolumeClaimAction.apply(reset, actionContext({ provisionsVolumeAnew: () => true }));
    assert.deepEqual(reset.spec, { storageClassName: 'gp3', resources: { requests: { storage: '1Gi' } } });
  });

  it('leaves a claim that was not bound as it is', () => {
    const item: KubeObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'd' }, spec: { storageClassName: 'gp3' } };
    persistentVolumeClaimAction.apply(item, actionContext({ provisionsVolumeAnew: () => assert.fail('no volume to ask about') }));
    assert.deepEqual(item.spec, { storageClassName: 'gp3' });
  });
});
