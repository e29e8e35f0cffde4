import { isRecord, type KubeObject } from '../kube/types.js';
import type { ExistingMerge, MergeAdditions } from './existing-merge.js';

/**
 * A PV of reclaim policy Retain outlives its claim: restored into the cluster it came from after
 * its namespace was deleted, it exists already, Released, its claimRef still holding the uid of
 * the deleted claim. The binder never binds it to the claim the restore makes of the same name,
 * which would stay Pending: so, whatever the policy, that uid (and resourceVersion) go, as the
 * PV action takes them from a PV it creates, and the binder binds it again by namespace and name.
 * Only a Released PV whose claimRef names the claim the restore makes: one bound to a live claim
 * is left alone.
 */
export const releasedVolumeMerge: ExistingMerge = {
  additions(existing: KubeObject, desired: KubeObject): MergeAdditions {
    const claimRef = claimRefOf(existing);
    const wanted = claimRefOf(desired);
    const released = isRecord(existing.status) && existing.status.phase === 'Released';
    if (!released || !claimRef || !wanted || claimRef.uid === undefined) return { patch: [], added: [] };
    if (claimRef.namespace !== wanted.namespace || claimRef.name !== wanted.name) return { patch: [], added: [] };
    const { uid: _uid, resourceVersion: _version, ...rebound } = claimRef;
    return { patch: [{ op: 'add', path: '/spec/claimRef', value: rebound }], added: ["claimRef free of its deleted claim's uid"] };
  },

  withoutMerged(object: KubeObject): KubeObject {
    return object;
  },
};

function claimRefOf(pv: KubeObject): Record<string, unknown> | undefined {
  return isRecord(pv.spec) && isRecord(pv.spec.claimRef) ? pv.spec.claimRef : undefined;
}
