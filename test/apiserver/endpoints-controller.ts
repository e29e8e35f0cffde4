import { ApiError } from './api-error.js';
import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import { asArray, asObject, deepEqual, isObject, type JsonObject, type JsonValue } from './json.js';
import type { KubeObject } from './object-meta.js';
import { storageKey, type ResourceDef } from './resource-def.js';
import { parseStored } from './stored-object.js';
import type { WriteContext } from './write-context.js';

const SERVICES = storageKey('', 'services');
const PODS = storageKey('', 'pods');
const ENDPOINTS = storageKey('', 'endpoints');
const SLICES = storageKey('discovery.k8s.io', 'endpointslices');
const MANAGED_BY = 'endpointslice-controller.k8s.io';
const CTX: WriteContext = { manager: 'kube-controller-manager', dryRun: false };

function obj(value: unknown): JsonObject {
  return asObject(value) ?? {};
}

/**
 * The endpoints and endpointslice controllers: every Service with a selector gets an
 * Endpoints object of its name and a managed EndpointSlice listing its running pods.
 */
export class EndpointsController {
  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly delayMs: number) {
    cluster.store.onEvent((event) => {
      if (event.storage === SERVICES) {
        this.enqueue(event.object.namespace, event.object.name);
      } else if (event.storage === PODS) {
        for (const key of cluster.keysOf(this.def(SERVICES), event.object.namespace)) {
          const svc = cluster.store.getByKey(SERVICES, key);
          if (svc) this.enqueue(svc.namespace, svc.name);
        }
      }
    });
  }

  private def(storage: string): ResourceDef {
    const def = this.cluster.defForStorage(storage);
    if (!def) throw new Error(`no resource for ${storage}`);
    return def;
  }

  private enqueue(namespace: string, name: string): void {
    this.queue.schedule(`endpoints/${namespace}/${name}`, this.delayMs, () => this.reconcile(namespace, name));
  }

  private reconcile(namespace: string, name: string): void {
    const stored = this.cluster.store.get(SERVICES, namespace, name);
    const svc = stored && !stored.deleting ? parseStored(stored) : undefined;
    const selector = svc ? asObject(obj(svc.spec).selector) : undefined;
    if (!svc) {
      this.remove(ENDPOINTS, namespace, name);
      return;
    }
    // Services without a selector have Endpoints managed by someone else (the apiserver's own, or users').
    if (!selector || obj(svc.spec).type === 'ExternalName') return;
    const pods = this.cluster.keysOf(this.def(PODS), namespace)
      .map((key) => this.cluster.store.getByKey(PODS, key))
      .filter((p) => p !== undefined && !p.deleting && Object.entries(selector).every(([k, v]) => p.labels[k] === v))
      .map((p) => parseStored(p as NonNullable<typeof p>))
      .filter((p) => obj(p.status).phase === 'Running' && typeof obj(p.status).podIP === 'string');
    const ports = (asArray(obj(svc.spec).ports) ?? []).filter(isObject).map((p) => {
      const port: JsonObject = {};
      if (p.name) port.name = p.name;
      port.port = typeof p.targetPort === 'number' ? p.targetPort : (p.port ?? 0);
      port.protocol = p.protocol ?? 'TCP';
      return port;
    });
    const targetRef = (p: KubeObject): JsonObject => ({ kind: 'Pod', namespace, name: p.metadata.name ?? '', uid: p.metadata.uid ?? '' });
    const nodeOf = (p: KubeObject): JsonValue => obj(p.spec).nodeName ?? null;

    const subsets = pods.length === 0 ? undefined : [{
      addresses: pods.map((p) => ({ ip: obj(p.status).podIP ?? '', nodeName: nodeOf(p), targetRef: targetRef(p) })),
      ports,
    }];
    this.upsert(ENDPOINTS, namespace, name, {
      apiVersion: 'v1', kind: 'Endpoints',
      metadata: { name, namespace, labels: { ...(svc.metadata.labels ?? {}) } },
      ...(subsets ? { subsets } : {}),
    }, (current) => deepEqual(current.subsets, subsets) ? undefined : (o) => {
      if (subsets) o.subsets = subsets;
      else delete o.subsets;
    });

    const slices = this.cluster.store.dependentsOf(svc.metadata.uid ?? '').filter((d) => d.storage === SLICES);
    const endpoints = pods.map((p) => ({
      addresses: [obj(p.status).podIP ?? ''], conditions: { ready: true, serving: true, terminating: false }, nodeName: nodeOf(p), targetRef: targetRef(p),
    }));
    // EndpointSlice port names are pointers the controller always sets, to "" when unnamed.
    const slicePorts = ports.map((p) => ({ name: p.name ?? '', ...p }));
    const existing = slices[0] ? this.cluster.store.getByKey(SLICES, slices[0].key) : undefined;
    if (!existing) {
      this.cluster.createInternal({
        apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice',
        metadata: {
          generateName: `${name}-`, namespace,
          labels: { ...(svc.metadata.labels ?? {}), 'endpointslice.kubernetes.io/managed-by': MANAGED_BY, 'kubernetes.io/service-name': name },
          ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
        },
        addressType: 'IPv4', endpoints, ports: slicePorts,
      }, 'endpointslice-controller');
    } else {
      const current = parseStored(existing);
      if (!deepEqual(current.endpoints, endpoints) || !deepEqual(current.ports, slicePorts)) {
        this.cluster.mutate(this.def(SLICES), namespace, existing.name, (o) => {
          o.endpoints = endpoints;
          o.ports = slicePorts;
        }, { ...CTX, manager: 'endpointslice-controller' });
      }
    }
  }

  private upsert(storage: string, namespace: string, name: string, desired: KubeObject, change: (current: KubeObject) => ((o: KubeObject) => void) | undefined): void {
    const stored = this.cluster.store.get(storage, namespace, name);
    if (!stored) {
      this.cluster.createInternal(desired, 'kube-controller-manager');
      return;
    }
    const update = change(parseStored(stored));
    if (update) this.cluster.mutate(this.def(storage), namespace, name, update, CTX);
  }

  private remove(storage: string, namespace: string, name: string): void {
    if (!this.cluster.store.get(storage, namespace, name)) return;
    try {
      this.cluster.delete(this.cluster.resolvedAtStorageVersion(this.def(storage)), namespace, name, {}, CTX);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }
}
