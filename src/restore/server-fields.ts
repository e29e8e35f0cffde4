import type { KubeObject } from '../kube/types.js';

/** What the API server sets itself on every object: never sent back on restore (restore.md). */
export const serverSetMetadata = [
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
] as const;

/** Removes the server-set fields and `status`; mutates the object, which is the restore's own copy. */
export function stripServerFields(object: KubeObject): KubeObject {
  for (const field of serverSetMetadata) delete object.metadata[field];
  delete object.status;
  return object;
}
