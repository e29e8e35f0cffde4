import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import { CRD_STORAGE } from './crd-controller.js';
import type { WriteContext } from './write-context.js';

const CTX: WriteContext = { manager: 'kube-controller-manager', dryRun: false };

/**
 * The storage-object-in-use protection controllers: PVCs and PVs keep their protection
 * finalizer until deletion starts, then lose it (no pod ever holds them here).
 */
export class ProtectionController {
  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly delayMs: number) {
    cluster.store.onEvent((event) => {
      if (event.type === 'DELETED' || !event.object.deleting || event.storage === CRD_STORAGE) return;
      const def = cluster.defForStorage(event.storage);
      if (!def || def.protectionFinalizers.length === 0) return;
      if (!event.object.finalizers.some((f) => def.protectionFinalizers.includes(f))) return;
      const { namespace, name } = event.object;
      this.queue.schedule(`protection/${event.storage}/${event.object.key}`, this.delayMs, () => {
        this.cluster.mutate(def, namespace, name, (obj) => {
          const rest = (obj.metadata.finalizers ?? []).filter((f) => !def.protectionFinalizers.includes(f));
          obj.metadata.finalizers = rest.length > 0 ? rest : undefined;
        }, CTX);
      });
    });
  }
}
