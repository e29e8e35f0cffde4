import type { KubeObject } from '../kube/types.js';
import { releasedVolumeMerge } from './released-volume-merge.js';
import { serviceAccountMerge } from './service-account-merge.js';

export const jsonPatch = 'application/json-patch+json';

export interface JsonPatchAdd {
  op: 'add';
  path: string;
  value: unknown;
}

export interface MergeAdditions {
  /** A JSON patch that appends them, so that entries added meanwhile are kept too; empty when nothing is missing. */
  patch: JsonPatchAdd[];
  /** What it adds, for plans and messages: `imagePullSecrets regcred`. */
  added: string[];
}

/**
 * Fields of a kind whose entries an object that exists already takes from the backup, keeping
 * its own, whatever the existing-resource policy: neither left as they are (policy none) nor
 * replaced whole (policy update's merge patch). Or, for a Released PV, what it must lose.
 */
export interface ExistingMerge {
  /** What `existing` lacks of `desired` (the item as the restore would create it). */
  additions(existing: KubeObject, desired: KubeObject): MergeAdditions;
  /** The object without the merged fields: what a merge patch may replace, and where differences are looked for once they are merged. */
  withoutMerged(object: KubeObject): KubeObject;
}

const merges: ReadonlyMap<string, ExistingMerge> = new Map([
  ['serviceaccounts', serviceAccountMerge],
  ['persistentvolumes', releasedVolumeMerge],
]);

/** The merge of the items of `resource`, if they have one. */
export function existingMergeOf(resource: string): ExistingMerge | undefined {
  return merges.get(resource);
}
