import type { KubeObject } from '../../kube/types.js';
import { recordAt } from './object-path.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

/**
 * A PV's claimRef names the claim it is bound to: the claim is restored with a new uid (and
 * maybe into another namespace), so the uid and resourceVersion go and the namespace is
 * mapped; the binder then binds the PV to the restored claim by namespace and name. PVs with
 * reclaim policy Delete never get here: they are not restored (never-restored.ts).
 */
export const persistentVolumeAction: RestoreAction = {
  group: '',
  kinds: ['PersistentVolume'],
  apply(item: KubeObject, context: ActionContext): void {
    const claimRef = recordAt(item, 'spec', 'claimRef');
    if (!claimRef) return;
    delete claimRef.uid;
    delete claimRef.resourceVersion;
    if (typeof claimRef.namespace === 'string') claimRef.namespace = context.mapNamespace(claimRef.namespace);
  },
};
