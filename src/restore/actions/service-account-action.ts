import type { KubeObject } from '../../kube/types.js';
import { recordsAt } from './object-path.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

/**
 * Token Secrets are never restored (the cluster issues its own), so references to them would
 * dangle. A reference in `secrets` is to a token Secret when the backup holds it with that
 * type, or when its name is the one the token controller gave (`NAME-token-xxxxx`).
 */
export const serviceAccountAction: RestoreAction = {
  group: '',
  kinds: ['ServiceAccount'],
  apply(item: KubeObject, context: ActionContext): void {
    if (!Array.isArray(item.secrets)) return;
    const name = item.metadata.name ?? '';
    const namespace = item.metadata.namespace ?? '';
    const kept = recordsAt(item, 'secrets').filter(
      (ref) => !(typeof ref.name === 'string' && (ref.name.startsWith(`${name}-token-`) || context.isTokenSecret(namespace, ref.name))),
    );
    if (kept.length > 0) item.secrets = kept;
    else delete item.secrets;
  },
};
