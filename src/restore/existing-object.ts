import { cloneJson, isExactInteger } from '../kube/exact-json.js';
import type { KubeObject } from '../kube/types.js';
import { applyRestoreActions } from './actions/action-registry.js';
import type { ActionContext } from './actions/restore-action.js';
import { backupNameLabel, restoreNameLabel } from './restore-labels.js';
import { stripServerFields } from './server-fields.js';

/** Leaves what a restore would send anyway and what the server sets itself, for comparing. */
function comparable(object: KubeObject, context: ActionContext): Record<string, unknown> {
  const copy = cloneJson(object);
  stripServerFields(copy);
  applyRestoreActions(copy, context);
  const labels = copy.metadata.labels;
  if (labels) {
    delete labels[backupNameLabel];
    delete labels[restoreNameLabel];
    if (Object.keys(labels).length === 0) delete copy.metadata.labels;
  }
  // Owners get new uids when restored, and a restore may add its references later: they say
  // nothing about whether the content differs.
  delete copy.metadata.ownerReferences;
  return copy as Record<string, unknown>;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) && !isExactInteger(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/**
 * `context` must map no namespace: both objects are already in their target namespace.
 * The fields (`spec`, `data`, `metadata.labels`...) in which an object found in the cluster
 * differs from what the restore would have created; empty when they are the same. Only field
 * names are reported, never values: the object may be a Secret.
 */
export function differingFields(desired: KubeObject, existing: KubeObject, context: ActionContext): string[] {
  const a = comparable(desired, context);
  const b = comparable(existing, context);
  const fields: string[] = [];
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (key === 'metadata') continue;
    if (canonical(a[key]) !== canonical(b[key])) fields.push(key);
  }
  const ma = a.metadata as Record<string, unknown>;
  const mb = b.metadata as Record<string, unknown>;
  for (const key of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
    if (canonical(ma[key]) !== canonical(mb[key])) fields.push(`metadata.${key}`);
  }
  return fields.sort();
}
