import type { KubeObject } from '../../kube/types.js';
import type { RestoreAction } from './restore-action.js';

const bindAnnotations = ['pv.kubernetes.io/bind-completed', 'pv.kubernetes.io/bound-by-controller', 'volume.kubernetes.io/selected-node'];

/**
 * The bind annotations record a binding made in the old cluster; left on, the binder would
 * think the claim is bound already, and the selected node may not exist here.
 */
export const persistentVolumeClaimAction: RestoreAction = {
  group: '',
  kinds: ['PersistentVolumeClaim'],
  apply(item: KubeObject): void {
    const annotations = item.metadata.annotations;
    if (!annotations) return;
    for (const key of bindAnnotations) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete item.metadata.annotations;
  },
};
