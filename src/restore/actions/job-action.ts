import type { KubeObject } from '../../kube/types.js';
import { recordAt } from './object-path.js';
import type { RestoreAction } from './restore-action.js';

const uidLabels = ['controller-uid', 'batch.kubernetes.io/controller-uid'];

function dropUidLabels(labels: unknown): void {
  if (labels === null || typeof labels !== 'object') return;
  for (const key of uidLabels) delete (labels as Record<string, unknown>)[key];
}

/**
 * A Job's selector and pod labels hold the old Job's uid, which the new Job does not have.
 * Without `manualSelector: true` the API server generates the selector itself and refuses
 * one given on create, so the whole selector goes; with it, only the uid labels go.
 */
export const jobAction: RestoreAction = {
  group: 'batch',
  kinds: ['Job'],
  apply(item: KubeObject): void {
    dropUidLabels(item.metadata.labels);
    const spec = recordAt(item, 'spec');
    if (!spec) return;
    dropUidLabels(recordAt(spec, 'template', 'metadata')?.labels);
    if (spec.manualSelector === true) dropUidLabels(recordAt(spec, 'selector')?.matchLabels);
    else delete spec.selector;
  },
};
