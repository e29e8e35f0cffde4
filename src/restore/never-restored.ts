import { isRecord, type KubeObject } from '../kube/types.js';

/**
 * Resources never restored, whatever the filters (restore.md): cluster state that belongs to
 * the cluster (nodes, leases, volume attachments...), history (events) and our own records.
 */
const neverRestoredResources: ReadonlySet<string> = new Set([
  'nodes',
  'events',
  'events.events.k8s.io',
  'backups.kubectl-backup.io',
  'restores.kubectl-backup.io',
  'csinodes.storage.k8s.io',
  'volumeattachments.storage.k8s.io',
  'componentstatuses',
  'leases.coordination.k8s.io',
]);

const endpointSliceControllerValue = 'endpointslice-controller.k8s.io';

/** Set (to onstart or true) by kube-aggregator on the APIService of each group version the API server serves itself, CRDs' included. */
const automanagedApiServiceLabel = 'kube-aggregator.kubernetes.io/automanaged';

/** Set by the kubelet on the API copy of a static pod (Kubernetes' `IsMirrorPod` tests its presence). */
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

/**
 * A backup holds no volume data, so a PV restored as it was names the source cluster's disk. With
 * reclaim policy Delete, deleting the restored claim would make the provisioner delete that disk
 * (in another cluster of the same account, the source's live disk); in the source cluster after
 * the namespace went, the disk is gone already. As Velero does for a PV without snapshot, it is
 * not restored and its claim is provisioned a new volume (persistent-volume-claim-action). An
 * unset policy is not Delete: the API server defaults it to Retain, and provisioners always set it.
 */
function hasDeleteReclaimPolicy(pv: KubeObject): boolean {
  return isRecord(pv.spec) && pv.spec.persistentVolumeReclaimPolicy === 'Delete';
}

/**
 * Why an item is never restored, looking at the item alone; undefined when it may be. Endpoints
 * of Services with a selector need the whole archive and are decided by the selection
 * (`endpointsOfSelectorServiceReason`).
 */
export function neverRestoredReason(resource: string, item: KubeObject): string | undefined {
  if (neverRestoredResources.has(resource)) return `${resource} are never restored`;
  if (resource === 'secrets' && item.type === 'kubernetes.io/service-account-token') return 'service-account token Secrets are issued by the cluster';
  if (resource === 'configmaps' && item.metadata.name === 'kube-root-ca.crt') return 'the cluster creates kube-root-ca.crt in every namespace';
  if (resource === 'pods' && item.metadata.annotations?.[mirrorPodAnnotation] !== undefined) return 'mirror pods are made by the kubelet from a static pod manifest on their node';
  if (resource === 'persistentvolumes' && hasDeleteReclaimPolicy(item)) return volumeProvisionedAnewReason;
  // The API server makes one for every group version it serves (Velero skips them too): one
  // restored into a cluster that no longer serves that version breaks discovery there.
  if (resource === 'apiservices.apiregistration.k8s.io' && item.metadata.labels?.[automanagedApiServiceLabel] !== undefined) {
    return 'APIServices of the API server\'s own groups are made by it';
  }
  if (resource === 'endpointslices.discovery.k8s.io' && item.metadata.labels?.['endpointslice.kubernetes.io/managed-by'] === endpointSliceControllerValue) {
    return 'EndpointSlices of the endpointslice controller are recreated by it';
  }
  return undefined;
}

export const volumeProvisionedAnewReason = 'reclaim policy Delete and no volume snapshot: its claim is provisioned a new volume';

export const endpointsOfSelectorServiceReason = 'Endpoints of a Service with a selector are recreated by the endpoints controller';

/** Whether a Service has a selector, so its Endpoints are the controller's. */
export function serviceHasSelector(service: KubeObject): boolean {
  const spec = service.spec as { selector?: unknown } | undefined;
  return spec?.selector !== null && typeof spec?.selector === 'object' && Object.keys(spec.selector).length > 0;
}
