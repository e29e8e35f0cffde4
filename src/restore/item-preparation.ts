import type { KubeObject } from '../kube/types.js';
import { applyRestoreActions } from './actions/action-registry.js';
import type { ActionContext } from './actions/restore-action.js';
import { addRestoreLabels, type RestoreLabels } from './restore-labels.js';
import { stripServerFields } from './server-fields.js';

/**
 * What every item goes through on its way in (restore.md, "What is changed on the way in"),
 * owner references aside (owner-uids.ts: they depend on what the restore has created by then):
 * server-set fields stripped, changed per kind, put in its target namespace, labelled.
 * Mutates the object, which is the restore's own copy.
 */
export function prepareItem(object: KubeObject, namespace: string | undefined, actions: ActionContext, labels: RestoreLabels): void {
  stripServerFields(object);
  applyRestoreActions(object, actions);
  if (namespace !== undefined) object.metadata.namespace = namespace;
  addRestoreLabels(object, labels);
}
