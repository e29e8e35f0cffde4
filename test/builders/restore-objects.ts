import type { KubeObject, OwnerReference } from '../../src/kube/types.js';
import type { ArchiveObject } from './restore-archive.js';

/** Small object builders for restore tests: archive entries with uids and owners. */
let uidCounter = 0;
export function uid(): string {
  uidCounter++;
  return `00000000-0000-4000-8000-${String(uidCounter).padStart(12, '0')}`;
}

export function item(resource: string, apiVersion: string, kind: string, name: string, namespace: string | undefined, rest: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): ArchiveObject {
  const object: KubeObject = {
    apiVersion,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}), uid: uid(), resourceVersion: '1', creationTimestamp: '2024-01-01T00:00:00Z', ...meta },
    ...rest,
  };
  return { resource, object };
}

export function ownedBy(owner: ArchiveObject, controller = true): { ownerReferences: OwnerReference[] } {
  const o = owner.object;
  return { ownerReferences: [{ apiVersion: o.apiVersion!, kind: o.kind!, name: o.metadata.name!, uid: o.metadata.uid!, controller, blockOwnerDeletion: true }] };
}

export const namespaceItem = (name: string, labels: Record<string, string> = {}) => item('namespaces', 'v1', 'Namespace', name, undefined, { spec: { finalizers: ['kubernetes'] } }, { labels: { 'kubernetes.io/metadata.name': name, ...labels } });
export const configMap = (namespace: string, name: string, data: Record<string, string> = { k: 'v' }, meta: Record<string, unknown> = {}) => item('configmaps', 'v1', 'ConfigMap', name, namespace, { data }, meta);

/** A PersistentVolume bound to claim `a/CLAIM`, with the reclaim policy given (none: the API server's default, Retain). */
export const persistentVolume = (name: string, claim: string, policy?: string) =>
  item('persistentvolumes', 'v1', 'PersistentVolume', name, undefined, { spec: { ...(policy ? { persistentVolumeReclaimPolicy: policy } : {}), claimRef: { namespace: 'a', name: claim } } });
export const persistentVolumeClaim = (name: string, volumeName: string) => item('persistentvolumeclaims', 'v1', 'PersistentVolumeClaim', name, 'a', { spec: { volumeName } });

/** Namespace `a` with volumes of every reclaim policy, their claims, and a claim whose volume the backup lacks. */
export const volumesOfEveryPolicy = () => [
  namespaceItem('a'),
  persistentVolume('pv-delete', 'by-delete', 'Delete'),
  persistentVolume('pv-retain', 'by-retain', 'Retain'),
  persistentVolume('pv-recycle', 'by-recycle', 'Recycle'),
  // What the API server makes of an unset policy: Retain (provisioners always set it).
  persistentVolume('pv-unset', 'by-unset'),
  persistentVolumeClaim('by-delete', 'pv-delete'),
  persistentVolumeClaim('by-retain', 'pv-retain'),
  persistentVolumeClaim('by-recycle', 'pv-recycle'),
  persistentVolumeClaim('by-unset', 'pv-unset'),
  persistentVolumeClaim('by-missing', 'pv-missing'),
];
