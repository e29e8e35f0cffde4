import type { KubeObject } from '../kube/types.js';
import { recordsAt } from './actions/object-path.js';
import type { ExistingMerge, JsonPatchAdd, MergeAdditions } from './existing-merge.js';

const referenceLists = ['imagePullSecrets', 'secrets'] as const;

/**
 * A ServiceAccount that exists already gets the backup's Secret references it lacks, as Velero
 * does (its restore's `mergeServiceAccounts`, whatever the policy): the cluster makes the
 * `default` ServiceAccount as soon as a namespace exists, before the restore reaches it, and
 * left as it is it would lose the backup's `imagePullSecrets`, so that its pods could not pull
 * their images. References are told apart by name, as Velero does; the ServiceAccount action
 * has dropped those to token Secrets from the item already.
 */
export const serviceAccountMerge: ExistingMerge = {
  additions(existing: KubeObject, desired: KubeObject): MergeAdditions {
    const patch: JsonPatchAdd[] = [];
    const added: string[] = [];
    for (const list of referenceLists) {
      const present = new Set(recordsAt(existing, list).map((ref) => ref.name));
      const missing = recordsAt(desired, list).filter((ref) => typeof ref.name === 'string' && !present.has(ref.name));
      if (missing.length === 0) continue;
      if (Array.isArray(existing[list])) patch.push(...missing.map((ref): JsonPatchAdd => ({ op: 'add', path: `/${list}/-`, value: ref })));
      else patch.push({ op: 'add', path: `/${list}`, value: missing });
      added.push(...missing.map((ref) => `${list} ${String(ref.name)}`));
    }
    return { patch, added };
  },

  withoutMerged(object: KubeObject): KubeObject {
    const copy: KubeObject = { ...object };
    for (const list of referenceLists) delete copy[list];
    return copy;
  },
};
