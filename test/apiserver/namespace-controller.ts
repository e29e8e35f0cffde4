import { ApiError } from './api-error.js';
import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import { storageKey } from './resource-def.js';
import type { WriteContext } from './write-context.js';

const NAMESPACES = storageKey('', 'namespaces');
const CTX: WriteContext = { manager: 'kube-controller-manager', dryRun: false };

/**
 * The namespace controller: once a namespace is terminating, everything in it is deleted;
 * when nothing is left the `kubernetes` finalizer is removed and the namespace goes.
 */
export class NamespaceController {
  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly delayMs: number) {
    cluster.store.onEvent((event) => {
      if (event.storage === NAMESPACES && event.type !== 'DELETED' && event.object.deleting) {
        this.queue.schedule(`namespace/${event.object.name}`, this.delayMs, () => this.drain(event.object.name));
      }
    });
  }

  private drain(namespace: string): void {
    const nsObj = this.cluster.store.get(NAMESPACES, '', namespace);
    if (!nsObj || !nsObj.deleting) return;
    let remaining = 0;
    for (const def of this.cluster.registry.all()) {
      if (!def.namespaced || def.storage !== storageKey(def.group, def.plural)) continue;
      const r = this.cluster.resolvedAtStorageVersion(def);
      const collection = this.cluster.store.collection(def.storage);
      for (const key of this.cluster.keysOf(def, namespace)) {
        const item = collection.items.get(key);
        if (!item) continue;
        if (!item.deleting) {
          try {
            this.cluster.delete(r, namespace, item.name, { propagationPolicy: 'Background' }, CTX);
          } catch (err) {
            if (!(err instanceof ApiError && err.code === 404)) throw err;
          }
        }
        if (collection.items.has(key)) remaining++;
      }
    }
    if (remaining > 0) {
      // Objects held by finalizers: look again until their controllers let them go.
      this.queue.schedule(`namespace-retry/${namespace}`, 50, () => this.drain(namespace));
      return;
    }
    const def = this.cluster.defForStorage(NAMESPACES);
    if (!def) return;
    this.cluster.mutate(def, '', namespace, (obj) => {
      obj.spec = { finalizers: [] };
    }, { ...CTX, subresource: 'finalize' });
  }
}
