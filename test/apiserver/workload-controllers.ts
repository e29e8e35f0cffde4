import { createHash } from 'node:crypto';
import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import { asArray, asObject, deepEqual, isObject, type JsonObject } from './json.js';
import { nowTimestamp } from './managed-fields.js';
import type { KubeObject, OwnerReference } from './object-meta.js';
import { randomSuffix } from './random-name.js';
import { storageKey, type ResourceDef } from './resource-def.js';
import { parseStored, type StoredObject } from './stored-object.js';
import type { WriteContext } from './write-context.js';

const CTX: WriteContext = { manager: 'kube-controller-manager', dryRun: false };
const STATUS: WriteContext = { ...CTX, subresource: 'status' };
const PODS = storageKey('', 'pods');
const DEPLOYMENTS = storageKey('apps', 'deployments');
const REPLICASETS = storageKey('apps', 'replicasets');
const STATEFULSETS = storageKey('apps', 'statefulsets');
const DAEMONSETS = storageKey('apps', 'daemonsets');
const JOBS = storageKey('batch', 'jobs');
const NODES = storageKey('', 'nodes');
const OWNER_KINDS: Record<string, string> = { ReplicaSet: REPLICASETS, StatefulSet: STATEFULSETS, DaemonSet: DAEMONSETS, Job: JOBS, Deployment: DEPLOYMENTS };

/** The pod-template-hash as the controllers compute it (a hash rendered with the safe alphabet). */
export function templateHash(template: unknown): string {
  const n = createHash('sha256').update(JSON.stringify(template ?? {})).digest().readUInt32BE(0);
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return [...String(n)].map((c) => alphabet[c.charCodeAt(0) % alphabet.length]).join('');
}

function obj(value: unknown): JsonObject {
  return asObject(value) ?? {};
}

function ownerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return { apiVersion, kind, name: owner.metadata.name ?? '', uid: owner.metadata.uid ?? '', controller: true, blockOwnerDeletion: true };
}

function isReady(pod: KubeObject): boolean {
  return (asArray(obj(pod.status).conditions) ?? []).some((c) => isObject(c) && c.type === 'Ready' && c.status === 'True');
}

/**
 * Simulated workload controllers, for demos and round-trip tests that need realistic owned
 * objects: Deployments make ReplicaSets, ReplicaSets/StatefulSets/DaemonSets/Jobs make pods,
 * and each reports a status.
 */
export class WorkloadControllers {
  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly delayMs: number) {
    cluster.store.onEvent((event) => {
      const { object } = event;
      if (event.type !== 'DELETED' && [DEPLOYMENTS, REPLICASETS, STATEFULSETS, DAEMONSETS, JOBS].includes(event.storage)) {
        this.enqueue(event.storage, object);
      }
      if (event.storage === PODS || event.storage === REPLICASETS) {
        for (const ref of parseStored(object).metadata.ownerReferences ?? []) {
          const storage = OWNER_KINDS[ref.kind];
          const owner = this.cluster.store.byUid(ref.uid);
          if (storage && owner && owner.storage === storage) this.enqueue(storage, owner.object);
        }
      }
    });
  }

  private enqueue(storage: string, object: StoredObject): void {
    this.queue.schedule(`workload/${storage}/${object.key}`, this.delayMs, () => this.reconcile(storage, object.namespace, object.name));
  }

  private def(storage: string): ResourceDef {
    const def = this.cluster.defForStorage(storage);
    if (!def) throw new Error(`no resource for ${storage}`);
    return def;
  }

  private reconcile(storage: string, namespace: string, name: string): void {
    const stored = this.cluster.store.get(storage, namespace, name);
    if (!stored || stored.deleting) return;
    const owner = parseStored(stored);
    switch (storage) {
      case DEPLOYMENTS: return this.deployment(owner);
      case REPLICASETS: return this.replicated(owner, REPLICASETS, 'ReplicaSet', (i, existing) => this.generatedPod(owner, existing, i));
      case STATEFULSETS: return this.replicated(owner, STATEFULSETS, 'StatefulSet', (i) => `${name}-${i}`);
      case DAEMONSETS: return this.replicated(owner, DAEMONSETS, 'DaemonSet', (i, existing) => this.generatedPod(owner, existing, i));
      case JOBS: return this.replicated(owner, JOBS, 'Job', (i, existing) => this.generatedPod(owner, existing, i));
    }
  }

  private generatedPod(owner: KubeObject, _existing: string[], _index: number): string {
    return `${owner.metadata.name}-${randomSuffix()}`;
  }

  private owned(owner: KubeObject, storage: string): KubeObject[] {
    return this.cluster.store.dependentsOf(owner.metadata.uid ?? '')
      .filter((d) => d.storage === storage)
      .map((d) => this.cluster.store.getByKey(d.storage, d.key))
      .filter((s): s is StoredObject => s !== undefined && !s.deleting)
      .map(parseStored)
      .sort((a, b) => ((a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1));
  }

  private writeStatus(storage: string, current: KubeObject, status: JsonObject): void {
    if (deepEqual(current.status, status)) return;
    this.cluster.mutate(this.def(storage), current.metadata.namespace ?? '', current.metadata.name ?? '', (o) => {
      o.status = status;
    }, STATUS);
  }

  private deployment(d: KubeObject): void {
    const spec = obj(d.spec);
    const replicas = typeof spec.replicas === 'number' ? spec.replicas : 1;
    const hash = templateHash(spec.template);
    const rsName = `${d.metadata.name}-${hash}`;
    const sets = this.owned(d, REPLICASETS);
    const template = structuredClone(obj(spec.template));
    const labels = { ...obj(obj(template.metadata).labels), 'pod-template-hash': hash };
    template.metadata = { ...obj(template.metadata), labels };
    let current = sets.find((rs) => rs.metadata.name === rsName);
    if (!current) {
      this.cluster.createInternal({
        apiVersion: 'apps/v1', kind: 'ReplicaSet',
        metadata: {
          name: rsName, namespace: d.metadata.namespace, labels,
          annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + 1), 'deployment.kubernetes.io/revision': String(sets.length + 1) },
          ownerReferences: [ownerRef(d, 'apps/v1', 'Deployment')],
        },
        spec: { replicas, selector: { matchLabels: { ...obj(obj(spec.selector).matchLabels), 'pod-template-hash': hash } }, template },
      }, 'kube-controller-manager');
      current = this.owned(d, REPLICASETS).find((rs) => rs.metadata.name === rsName);
    } else if (obj(current.spec).replicas !== replicas) {
      this.cluster.mutate(this.def(REPLICASETS), d.metadata.namespace ?? '', rsName, (rs) => {
        obj(rs.spec).replicas = replicas;
      }, CTX);
    }
    for (const old of sets) {
      if (old.metadata.name !== rsName && obj(old.spec).replicas !== 0) {
        this.cluster.mutate(this.def(REPLICASETS), d.metadata.namespace ?? '', old.metadata.name ?? '', (rs) => {
          obj(rs.spec).replicas = 0;
        }, CTX);
      }
    }
    const rsStatus = obj(current?.status);
    const ready = typeof rsStatus.readyReplicas === 'number' ? rsStatus.readyReplicas : 0;
    const total = typeof rsStatus.replicas === 'number' ? rsStatus.replicas : 0;
    const previous = (asArray(obj(d.status).conditions) ?? []).filter(isObject);
    const condition = (type: string, status: string, reason: string, message: string): JsonObject => {
      const before = previous.find((c) => c.type === type);
      const now = nowTimestamp();
      const keep = before && before.status === status && before.reason === reason;
      return { type, status, lastUpdateTime: keep ? before.lastUpdateTime ?? now : now, lastTransitionTime: keep ? before.lastTransitionTime ?? now : now, reason, message };
    };
    const available = ready >= replicas;
    this.writeStatus(DEPLOYMENTS, d, {
      observedGeneration: d.metadata.generation ?? 1,
      replicas: total,
      updatedReplicas: total,
      readyReplicas: ready,
      availableReplicas: ready,
      ...(total - ready > 0 ? { unavailableReplicas: total - ready } : {}),
      conditions: [
        condition('Available', available ? 'True' : 'False', available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable', available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.'),
        condition('Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`),
      ],
    });
  }

  /** Keeps the owner's pods at the wanted count and reports them in its status. */
  private replicated(owner: KubeObject, storage: string, kind: string, podName: (index: number, existing: string[]) => string): void {
    const spec = obj(owner.spec);
    const nodes = this.cluster.keysOf(this.def(NODES), '').length;
    const pods = this.owned(owner, PODS);
    const running = pods.filter((p) => obj(p.status).phase !== 'Succeeded' && obj(p.status).phase !== 'Failed');
    const succeeded = pods.length - running.length;
    const completions = typeof spec.completions === 'number' ? spec.completions : 1;
    const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 1;
    const jobDone = kind === 'Job' && succeeded >= completions;
    const wanted = kind === 'DaemonSet' ? nodes
      : kind === 'Job' ? Math.max(0, Math.min(parallelism, completions - succeeded))
        : typeof spec.replicas === 'number' ? spec.replicas : 1;
    const existing = pods.map((p) => p.metadata.name ?? '');
    const template = obj(spec.template);
    const apiVersion = kind === 'Job' ? 'batch/v1' : 'apps/v1';
    if (!jobDone || kind !== 'Job') {
      for (let i = 0; running.length + i < wanted; i++) {
        const index = kind === 'StatefulSet' ? running.length + i : i;
        const name = podName(index, existing);
        const labels: JsonObject = { ...obj(obj(template.metadata).labels) };
        if (kind === 'StatefulSet') {
          Object.assign(labels, { 'apps.kubernetes.io/pod-index': String(index), 'controller-revision-hash': `${owner.metadata.name}-${templateHash(template)}`, 'statefulset.kubernetes.io/pod-name': name });
        }
        const podSpec = structuredClone(obj(template.spec));
        if (kind === 'StatefulSet') {
          podSpec.hostname = name;
          if (typeof spec.serviceName === 'string') podSpec.subdomain = spec.serviceName;
        }
        this.cluster.createInternal({
          apiVersion: 'v1', kind: 'Pod',
          metadata: {
            name, namespace: owner.metadata.namespace, labels: labels as Record<string, string>,
            annotations: obj(obj(template.metadata).annotations) as Record<string, string>,
            ownerReferences: [ownerRef(owner, apiVersion, kind)],
          },
          spec: podSpec,
        }, 'kube-controller-manager');
      }
    }
    if (kind !== 'Job' && running.length > wanted) {
      const podDef = this.def(PODS);
      const r = this.cluster.resolvedAtStorageVersion(podDef);
      for (const extra of running.slice(wanted)) this.cluster.delete(r, extra.metadata.namespace ?? '', extra.metadata.name ?? '', {}, CTX);
    }
    this.reportStatus(owner, storage, kind, wanted);
  }

  private reportStatus(owner: KubeObject, storage: string, kind: string, wanted: number): void {
    const pods = this.owned(owner, PODS);
    const ready = pods.filter(isReady).length;
    const generation = owner.metadata.generation ?? 1;
    if (kind === 'Job') {
      const succeeded = pods.filter((p) => obj(p.status).phase === 'Succeeded').length;
      const completions = typeof obj(owner.spec).completions === 'number' ? obj(owner.spec).completions as number : 1;
      const before = obj(owner.status);
      const startTime = typeof before.startTime === 'string' ? before.startTime : nowTimestamp();
      const status: JsonObject = { active: pods.length - succeeded, startTime, succeeded, ready, terminating: 0, uncountedTerminatedPods: {} };
      if (succeeded >= completions) {
        const completionTime = typeof before.completionTime === 'string' ? before.completionTime : nowTimestamp();
        status.completionTime = completionTime;
        status.conditions = [
          { type: 'SuccessCriteriaMet', status: 'True', lastProbeTime: completionTime, lastTransitionTime: completionTime, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
          { type: 'Complete', status: 'True', lastProbeTime: completionTime, lastTransitionTime: completionTime, reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' },
        ];
        status.active = 0;
      }
      this.writeStatus(storage, owner, status);
      return;
    }
    if (kind === 'DaemonSet') {
      this.writeStatus(storage, owner, {
        currentNumberScheduled: pods.length, numberMisscheduled: 0, desiredNumberScheduled: wanted, numberReady: ready,
        observedGeneration: generation, updatedNumberScheduled: pods.length, numberAvailable: ready,
      });
      return;
    }
    const status: JsonObject = { replicas: pods.length, availableReplicas: ready, readyReplicas: ready, observedGeneration: generation };
    if (kind === 'ReplicaSet') status.fullyLabeledReplicas = pods.length;
    if (kind === 'StatefulSet') {
      const revision = `${owner.metadata.name}-${templateHash(obj(owner.spec).template)}`;
      Object.assign(status, { currentReplicas: pods.length, updatedReplicas: pods.length, currentRevision: revision, updateRevision: revision, collisionCount: 0 });
    }
    this.writeStatus(storage, owner, status);
  }
}
