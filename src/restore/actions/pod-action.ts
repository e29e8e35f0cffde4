import type { KubeObject } from '../../kube/types.js';
import { recordAt, recordsAt } from './object-path.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

const tokenVolume = /^kube-api-access-/;

/** The pod's service account, as the ServiceAccount admission plugin resolves it. */
function serviceAccountOf(spec: Record<string, unknown>): string {
  for (const field of ['serviceAccountName', 'serviceAccount']) {
    const value = spec[field];
    if (typeof value === 'string' && value !== '') return value;
  }
  return 'default';
}

/**
 * A pod is scheduled again, so its node goes. The projected service-account token volume
 * (`kube-api-access-*`) is injected by the ServiceAccount admission plugin at creation: a
 * restored copy would hold a stale token and clash with the injected one, so it and its
 * mounts go too. So do volumes of token Secrets, which clusters before 1.24 injected instead:
 * those Secrets are never restored, and a volume mounted at the token path keeps the plugin
 * from injecting the projected one. The priority is set by the Priority admission plugin from
 * the pod's PriorityClass, and a pod giving a value other than the class's in this cluster
 * (another value, or a global default class) is refused, so it goes. Ephemeral (debug)
 * containers go as well: the API server refuses a pod created with any.
 */
export const podAction: RestoreAction = {
  group: '',
  kinds: ['Pod'],
  apply(item: KubeObject, context: ActionContext): void {
    const spec = recordAt(item, 'spec');
    if (!spec) return;
    delete spec.nodeName;
    delete spec.priority;
    delete spec.ephemeralContainers;
    const volumes = recordsAt(spec, 'volumes');
    const serviceAccount = serviceAccountOf(spec);
    const isTokenSecret = (secretName: unknown): boolean =>
      typeof secretName === 'string' && (secretName.startsWith(`${serviceAccount}-token-`) || context.isTokenSecret(item.metadata.namespace ?? '', secretName));
    const isTokenVolume = (v: Record<string, unknown>): boolean =>
      (tokenVolume.test(v.name as string) && v.projected !== undefined) || isTokenSecret(recordAt(v, 'secret')?.secretName);
    const dropped = new Set(volumes.filter((v) => typeof v.name === 'string' && isTokenVolume(v)).map((v) => v.name as string));
    if (dropped.size === 0) return;
    spec.volumes = volumes.filter((v) => !dropped.has(v.name as string));
    for (const list of ['initContainers', 'containers']) {
      for (const container of recordsAt(spec, list)) {
        const mounts = recordsAt(container, 'volumeMounts');
        if (mounts.length === 0) continue;
        container.volumeMounts = mounts.filter((m) => !dropped.has(m.name as string));
      }
    }
  },
};
