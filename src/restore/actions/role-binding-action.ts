import type { KubeObject } from '../../kube/types.js';
import { recordsAt } from './object-path.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

/** Subjects (service accounts) in a mapped namespace follow it, so the binding still grants them. */
export const roleBindingAction: RestoreAction = {
  group: 'rbac.authorization.k8s.io',
  kinds: ['RoleBinding', 'ClusterRoleBinding'],
  apply(item: KubeObject, context: ActionContext): void {
    for (const subject of recordsAt(item, 'subjects')) {
      if (typeof subject.namespace === 'string' && subject.namespace !== '') subject.namespace = context.mapNamespace(subject.namespace);
    }
  },
};
