import type { KubeObject } from '../../kube/types.js';
import { jobAction } from './job-action.js';
import { namespaceAction } from './namespace-action.js';
import { persistentVolumeAction } from './persistent-volume-action.js';
import { persistentVolumeClaimAction } from './persistent-volume-claim-action.js';
import { podAction } from './pod-action.js';
import type { ActionContext, RestoreAction } from './restore-action.js';
import { roleBindingAction } from './role-binding-action.js';
import { serviceAccountAction } from './service-account-action.js';
import { serviceAction } from './service-action.js';

/** Every per-kind action of restore.md, one per file. */
export const restoreActions: readonly RestoreAction[] = [
  serviceAction,
  podAction,
  jobAction,
  serviceAccountAction,
  persistentVolumeAction,
  persistentVolumeClaimAction,
  roleBindingAction,
  namespaceAction,
];

const byGroupKind = new Map<string, RestoreAction[]>();
for (const action of restoreActions) {
  for (const kind of action.kinds) {
    const key = `${action.group}/${kind}`;
    byGroupKind.set(key, [...(byGroupKind.get(key) ?? []), action]);
  }
}

function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : apiVersion!.slice(0, slash);
}

/** Runs the actions of the item's kind on it (mutating it). */
export function applyRestoreActions(item: KubeObject, context: ActionContext): void {
  for (const action of byGroupKind.get(`${groupOf(item.apiVersion)}/${item.kind ?? ''}`) ?? []) action.apply(item, context);
}
