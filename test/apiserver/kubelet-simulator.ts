import { createHash } from 'node:crypto';
import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import { asArray, isObject, type JsonObject } from './json.js';
import { nowTimestamp } from './managed-fields.js';
import type { KubeObject } from './object-meta.js';
import { storageKey, type ResourceDef } from './resource-def.js';
import { parseStored } from './stored-object.js';

const PODS = storageKey('', 'pods');
const NODES = storageKey('', 'nodes');
const HOST_IP = '172.18.0.2';

/**
 * The scheduler and the kubelet, reduced to what tests and demos see: a new pod is bound to
 * a node and reported Running (or Succeeded, for pods of Jobs) with ready containers.
 */
export class KubeletSimulator {
  private nextIp = 2;

  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly delayMs: number) {
    cluster.store.onEvent((event) => {
      if (event.storage !== PODS || event.type === 'DELETED' || event.object.deleting) return;
      const { namespace, name } = event.object;
      this.queue.schedule(`kubelet/${event.object.key}`, this.delayMs, () => this.run(namespace, name));
    });
  }

  private podDef(): ResourceDef {
    const def = this.cluster.defForStorage(PODS);
    if (!def) throw new Error('pods are not served');
    return def;
  }

  private run(namespace: string, name: string): void {
    const stored = this.cluster.store.get(PODS, namespace, name);
    if (!stored || stored.deleting) return;
    const pod = parseStored(stored);
    const spec = isObject(pod.spec) ? pod.spec : {};
    if (!spec.nodeName) {
      const node = this.cluster.store.collection(NODES).sortedKeys()[0];
      if (!node) return;
      this.cluster.mutate(this.podDef(), namespace, name, (p) => {
        p.spec = { ...(isObject(p.spec) ? p.spec : {}), nodeName: node };
      }, { manager: 'kube-scheduler', dryRun: false, subresource: 'binding' });
      return;
    }
    const status = isObject(pod.status) ? pod.status : {};
    if (status.phase === 'Running' || status.phase === 'Succeeded') return;
    this.cluster.mutate(this.podDef(), namespace, name, (p) => {
      p.status = this.statusFor(p);
    }, { manager: 'kubelet', dryRun: false, subresource: 'status' });
  }

  private statusFor(pod: KubeObject): JsonObject {
    const spec = isObject(pod.spec) ? pod.spec : {};
    const now = nowTimestamp();
    const completes = (pod.metadata.ownerReferences ?? []).some((r) => r.kind === 'Job');
    const podIp = `10.244.0.${this.nextIp++ % 250 + 2}`;
    const condition = (type: string, value: boolean, reason?: string): JsonObject => ({
      type, status: value ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason } : {}),
    });
    const containers = (asArray(spec.containers) ?? []).filter(isObject);
    return {
      phase: completes ? 'Succeeded' : 'Running',
      conditions: [
        condition('PodReadyToStartContainers', !completes),
        condition('Initialized', true, completes ? 'PodCompleted' : undefined),
        condition('Ready', !completes, completes ? 'PodCompleted' : undefined),
        condition('ContainersReady', !completes, completes ? 'PodCompleted' : undefined),
        condition('PodScheduled', true),
      ],
      hostIP: HOST_IP,
      hostIPs: [{ ip: HOST_IP }],
      podIP: podIp,
      podIPs: [{ ip: podIp }],
      startTime: now,
      containerStatuses: containers.map((c) => {
        const image = String(c.image ?? '');
        const id = createHash('sha256').update(`${pod.metadata.uid}/${String(c.name)}`).digest('hex');
        return {
          name: c.name ?? '',
          state: completes ? { terminated: { exitCode: 0, reason: 'Completed', startedAt: now, finishedAt: now, containerID: `containerd://${id}` } } : { running: { startedAt: now } },
          lastState: {},
          ready: !completes,
          restartCount: 0,
          image: image.includes('/') ? image : `docker.io/library/${image}`,
          imageID: `docker.io/library/${image.split(':')[0]}@sha256:${createHash('sha256').update(image).digest('hex')}`,
          containerID: `containerd://${id}`,
          started: !completes,
        };
      }),
      qosClass: isObject(pod.status) && typeof pod.status.qosClass === 'string' ? pod.status.qosClass : 'BestEffort',
    };
  }
}
