import type { ApiResource } from '../kube/discovery.js';
import type { KubeObject } from '../kube/types.js';

/** Labels that keep an item out of every backup: ours, and Velero's so its labels keep working. */
export const exclusionLabels = ['kubectl-backup.io/exclude-from-backup', 'velero.io/exclude-from-backup'] as const;

/** The exclusion label an object carries with value `true`, if any. */
export function exclusionLabelOf(object: KubeObject): string | undefined {
  const labels = object.metadata?.labels;
  if (!labels) return undefined;
  return exclusionLabels.find((label) => labels[label] === 'true');
}

export function isBeingDeleted(object: KubeObject): boolean {
  return typeof object.metadata?.deletionTimestamp === 'string' && object.metadata.deletionTimestamp !== '';
}

/**
 * The stored form of an object: as the API server returned it, without `managedFields`
 * (server bookkeeping, often half the object, and restore must not send it), with
 * `apiVersion`/`kind` present (items of a LIST of built-in types come without them).
 * Compact JSON.
 */
export function serializeItem(object: KubeObject, resource: Pick<ApiResource, 'groupVersion' | 'kind'>): Buffer {
  if (object.metadata && 'managedFields' in object.metadata) delete object.metadata.managedFields;
  const complete = object.apiVersion && object.kind ? object : { apiVersion: resource.groupVersion, kind: resource.kind, ...object };
  return Buffer.from(JSON.stringify(complete));
}
