import type { KubeObject } from '../kube/types.js';
import { applyRestoreActions } from './actions/action-registry.js';
import type { ActionContext } from './actions/restore-action.js';
import { mapNamespace } from './namespace-mappings.js';
import { addRestoreLabels, restoreLabels, type RestoreLabels } from './restore-labels.js';
import type { RestoreRequest } from './restore-request.js';
import { stripServerFields } from './server-fields.js';

/**
 * What preparing an item takes from the request. Derived here alone, so that items prepared as
 * the archive is read (early-preparation.ts) and at create time (restore-run.ts) are the same.
 */
export interface PreparationSettings {
  readonly mapNamespace: (namespace: string) => string;
  readonly preserveNodePorts: boolean;
  readonly labels: RestoreLabels;
}

export function preparationSettings(request: Pick<RestoreRequest, 'name' | 'backupName' | 'namespaceMappings' | 'preserveNodePorts'>): PreparationSettings {
  return {
    mapNamespace: (namespace) => mapNamespace(request.namespaceMappings, namespace),
    preserveNodePorts: request.preserveNodePorts,
    labels: restoreLabels(request.backupName, request.name),
  };
}

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
