import type { KubeObject } from '../../kube/types.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

const nameLabel = 'kubernetes.io/metadata.name';

/**
 * A mapped namespace is created under its new name with the source's labels and annotations;
 * the label the API server keeps equal to the name follows the name.
 */
export const namespaceAction: RestoreAction = {
  group: '',
  kinds: ['Namespace'],
  apply(item: KubeObject, context: ActionContext): void {
    const name = item.metadata.name;
    if (name === undefined) return;
    const target = context.mapNamespace(name);
    item.metadata.name = target;
    if (item.metadata.labels?.[nameLabel] !== undefined) item.metadata.labels[nameLabel] = target;
  },
};
