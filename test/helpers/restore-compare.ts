import type { KubeObject } from '../../src/kube/types.js';

/**
 * An object as a round trip compares it: without what the server sets itself (uid,
 * resourceVersion, timestamps, generation, managedFields, status, allocated cluster IPs and
 * node ports, the injected token volume's random name), without the restore's own labels, and
 * with owners named by kind and name since they get new uids.
 */
export function comparable(object: KubeObject, namespaceMap: Record<string, string> = {}): unknown {
  const copy = structuredClone(object);
  const meta = copy.metadata;
  for (const field of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionTimestamp']) delete meta[field];
  if (meta.labels) {
    delete meta.labels['kubectl-backup.io/backup-name'];
    delete meta.labels['kubectl-backup.io/restore-name'];
    if (meta.labels['kubernetes.io/metadata.name']) meta.labels['kubernetes.io/metadata.name'] = namespaceMap[meta.labels['kubernetes.io/metadata.name']] ?? meta.labels['kubernetes.io/metadata.name'];
    if (Object.keys(meta.labels).length === 0) delete meta.labels;
  }
  if (meta.namespace) meta.namespace = namespaceMap[meta.namespace] ?? meta.namespace;
  if (copy.kind === 'Namespace' && meta.name) meta.name = namespaceMap[meta.name] ?? meta.name;
  if (meta.ownerReferences) meta.ownerReferences = meta.ownerReferences.map((r) => ({ ...r, uid: '<owner uid>' }));
  delete copy.status;
  const spec = copy.spec as Record<string, unknown> | undefined;
  if (copy.kind === 'Service' && spec) {
    delete spec.clusterIP;
    delete spec.clusterIPs;
    for (const port of (spec.ports as Record<string, unknown>[] | undefined) ?? []) delete port.nodePort;
  }
  if (copy.kind === 'RoleBinding' || copy.kind === 'ClusterRoleBinding') {
    for (const s of (copy.subjects as Record<string, unknown>[] | undefined) ?? []) if (typeof s.namespace === 'string') s.namespace = namespaceMap[s.namespace] ?? s.namespace;
  }
  return JSON.parse(JSON.stringify(copy).replace(/kube-api-access-[a-z0-9]{5}/g, 'kube-api-access-<random>'));
}
