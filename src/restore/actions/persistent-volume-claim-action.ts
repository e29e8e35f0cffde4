import type { KubeObject } from '../../kube/types.js';
import { recordAt } from './object-path.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

const bindAnnotations = ['pv.kubernetes.io/bind-completed', 'pv.kubernetes.io/bound-by-controller', 'volume.kubernetes.io/selected-node'];

/** Set by the PV controller when it hands the claim to its class's provisioner; Velero's PVC action drops them. */
const provisionerAnnotations = ['volume.kubernetes.io/storage-provisioner', 'volume.beta.kubernetes.io/storage-provisioner'];

/**
 * The bind annotations record a binding made in the old cluster; left on, the binder would
 * think the claim is bound already, and the selected node may not exist here. The provisioner
 * annotations name the provisioner the old cluster chose; this cluster's controller sets its own.
 *
 * `spec.volumeName` goes when the backup's volume is one no restore makes (reclaim policy
 * Delete): the claim would wait for it forever; without it, the claim's StorageClass provisions
 * a new one, as Velero does. A volume only filtered out, or not in the backup, keeps the binding
 * (Velero's rule too): it may exist in this cluster, made by the user for it.
 */
export const persistentVolumeClaimAction: RestoreAction = {
  group: '',
  kinds: ['PersistentVolumeClaim'],
  apply(item: KubeObject, context: ActionContext): void {
    const spec = recordAt(item, 'spec');
    if (typeof spec?.volumeName === 'string' && spec.volumeName !== '' && context.provisionsVolumeAnew(spec.volumeName)) delete spec.volumeName;
    const annotations = item.metadata.annotations;
    if (!annotations) return;
    for (const key of [...bindAnnotations, ...provisionerAnnotations]) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete item.metadata.annotations;
  },
};
