import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import { resourceFromCrd } from './crd-resource.js';
import { asArray, asObject, isObject, type JsonObject, type JsonValue } from './json.js';
import { nowTimestamp } from './managed-fields.js';
import type { KubeObject } from './object-meta.js';
import { storageKey, type ResourceDef } from './resource-def.js';
import { parseStored } from './stored-object.js';

export const CRD_STORAGE = storageKey('apiextensions.k8s.io', 'customresourcedefinitions');
const CLEANUP_FINALIZER = 'customresourcecleanup.apiextensions.k8s.io';
const MANAGER = 'kube-apiserver';

export interface CrdControllerOptions {
  /** Delay before a new CRD becomes Established (0: right after the create answers). */
  establishDelayMs: number;
  /** CRDs whose name matches are never Established (to test waiting on the condition). */
  neverEstablish?: (crdName: string) => boolean;
}

function condition(type: string, status: 'True' | 'False', reason: string, message: string): JsonObject {
  return { type, status, lastTransitionTime: nowTimestamp(), reason, message };
}

function isTrue(crd: KubeObject, type: string): boolean {
  const conditions = asArray(asObject(crd.status)?.conditions) ?? [];
  return conditions.some((c) => isObject(c) && c.type === type && c.status === 'True');
}

/**
 * What the apiextensions controllers do: accept names, mark CRDs Established, serve their
 * resources (in discovery once Established), and on deletion remove every custom resource
 * before letting the CRD go.
 */
export class CrdController {
  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly options: CrdControllerOptions) {
    cluster.store.onEvent((event) => {
      if (event.storage !== CRD_STORAGE) return;
      const crd = parseStored(event.object);
      const name = event.object.name;
      if (event.type === 'DELETED') {
        this.unregister(crd);
        return;
      }
      this.register(crd);
      if (event.object.deleting) {
        this.queue.schedule(`crd-cleanup/${name}`, 0, () => this.cleanup(name));
      } else if (!isTrue(crd, 'NamesAccepted')) {
        this.queue.schedule(`crd-accept/${name}`, 0, () => this.accept(name));
      } else if (!isTrue(crd, 'Established') && !this.options.neverEstablish?.(name)) {
        this.queue.schedule(`crd-establish/${name}`, this.options.establishDelayMs, () => this.establish(name));
      }
    });
  }

  private crdDef(): ResourceDef {
    const def = this.cluster.registry.get('apiextensions.k8s.io', 'customresourcedefinitions');
    if (!def) throw new Error('CustomResourceDefinitions are not served');
    return def;
  }

  private register(crd: KubeObject): void {
    const def = resourceFromCrd(crd, isTrue(crd, 'Established'));
    if (def && isTrue(crd, 'NamesAccepted')) this.cluster.registry.add(def);
  }

  private unregister(crd: KubeObject): void {
    const def = resourceFromCrd(crd, false);
    if (!def) return;
    this.cluster.registry.remove(def.group, def.plural);
    this.cluster.store.dropStorage(def.storage);
  }

  private writeStatus(name: string, change: (status: JsonObject, crd: KubeObject) => void): void {
    this.cluster.mutate(this.crdDef(), '', name, (crd) => {
      const status: JsonObject = isObject(crd.status) ? crd.status : {};
      change(status, crd);
      crd.status = status;
    }, { manager: MANAGER, dryRun: false, subresource: 'status' });
  }

  private setCondition(status: JsonObject, next: JsonObject): void {
    const conditions = (asArray(status.conditions) ?? []).filter((c) => !(isObject(c) && c.type === next.type));
    conditions.push(next);
    status.conditions = conditions;
  }

  private accept(name: string): void {
    this.writeStatus(name, (status, crd) => {
      const spec = asObject(crd.spec) ?? {};
      status.acceptedNames = (spec.names ?? {}) as JsonValue;
      status.storedVersions = (asArray(spec.versions) ?? []).filter((v) => isObject(v) && v.storage === true).map((v) => (v as JsonObject).name ?? '');
      this.setCondition(status, condition('NamesAccepted', 'True', 'NoConflicts', 'no conflicts found'));
      const never = this.options.neverEstablish?.(name) ?? false;
      if (never || this.options.establishDelayMs > 0) {
        this.setCondition(status, condition('Established', 'False', 'Installing', 'the initial names have been accepted'));
      } else {
        this.setCondition(status, condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'));
      }
    });
  }

  private establish(name: string): void {
    this.writeStatus(name, (status) => {
      this.setCondition(status, condition('Established', 'True', 'InitialNamesAccepted', 'the initial names have been accepted'));
    });
  }

  private cleanup(name: string): void {
    const stored = this.cluster.store.get(CRD_STORAGE, '', name);
    if (!stored) return;
    const crd = parseStored(stored);
    if (!isTrue(crd, 'Terminating')) {
      this.writeStatus(name, (status) => {
        this.setCondition(status, condition('Terminating', 'True', 'InstanceDeletionInProgress', 'CustomResource deletion is in progress'));
      });
    }
    const def = resourceFromCrd(crd, false);
    const served = def ? this.cluster.registry.get(def.group, def.plural) : undefined;
    if (served) {
      const r = this.cluster.resolvedAtStorageVersion(served);
      for (const key of this.cluster.keysOf(served, '')) {
        const item = this.cluster.store.getByKey(served.storage, key);
        if (item && !item.deleting) this.cluster.delete(r, item.namespace, item.name, { propagationPolicy: 'Background' }, { manager: MANAGER, dryRun: false });
      }
      if (this.cluster.keysOf(served, '').length > 0) {
        // Custom resources with finalizers of their own: look again shortly.
        this.queue.schedule(`crd-cleanup-retry/${name}`, 50, () => this.cleanup(name));
        return;
      }
    }
    this.cluster.mutate(this.crdDef(), '', name, (obj) => {
      obj.metadata.finalizers = (obj.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    }, { manager: MANAGER, dryRun: false });
  }
}
