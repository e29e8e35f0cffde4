import type { KubeObject } from '../../kube/types.js';
import { recordAt, recordsAt } from './object-path.js';
import type { ActionContext, RestoreAction } from './restore-action.js';

/**
 * Cluster IPs belong to the cluster the backup came from: the new cluster allocates them,
 * except `None` (headless), which is a choice, not an allocation. Node ports are allocated
 * too and kept only with `--preserve-nodeports` (they may clash in another cluster).
 */
export const serviceAction: RestoreAction = {
  group: '',
  kinds: ['Service'],
  apply(item: KubeObject, context: ActionContext): void {
    const spec = recordAt(item, 'spec');
    if (!spec) return;
    if (spec.clusterIP !== 'None') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (!context.preserveNodePorts) {
      for (const port of recordsAt(spec, 'ports')) delete port.nodePort;
      delete spec.healthCheckNodePort;
    }
  },
};
