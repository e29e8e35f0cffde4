import type { KubeObject } from '../../kube/types.js';
import { recordAt, recordsAt } from './object-path.js';
import type { RestoreAction } from './restore-action.js';

const tokenVolume = /^kube-api-access-/;

/**
 * A pod is scheduled again, so its node goes. The projected service-account token volume
 * (`kube-api-access-*`) is injected by the ServiceAccount admission plugin at creation: a
 * restored copy would hold a stale token and clash with the injected one, so it and its
 * mounts go too. The priority is set by the Priority admission plugin from the pod's
 * PriorityClass, which refuses a pod giving a value other than the class's in this cluster
 * (another value, or a global default class), so it goes. Ephemeral (debug) containers go as well: the API server refuses a pod
 * created with any (they are only ever added to a running pod).
 */
export const podAction: RestoreAction = {
  group: '',
  kinds: ['Pod'],
  apply(item: KubeObject): void {
    const spec = recordAt(item, 'spec');
    if (!spec) return;
    delete spec.nodeName;
    delete spec.priority;
    delete spec.ephemeralContainers;
    const volumes = recordsAt(spec, 'volumes');
    const dropped = new Set(volumes.filter((v) => typeof v.name === 'string' && tokenVolume.test(v.name) && v.projected !== undefined).map((v) => v.name as string));
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
