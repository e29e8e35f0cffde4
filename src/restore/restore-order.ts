import type { IndexedItem } from './archive-index.js';
import { crdResource } from './restore-selection.js';

/**
 * restore.md, Order: CRDs, then these, then every other resource alphabetically by
 * `resource.group`, admission configuration last (admissionResources). What others depend on comes first: namespaces before their contents,
 * storage before claims, RBAC and service accounts before the pods that use them.
 */
const restorePriorities: readonly string[] = [
  crdResource,
  'namespaces',
  'storageclasses.storage.k8s.io',
  'persistentvolumes',
  'persistentvolumeclaims',
  'clusterroles.rbac.authorization.k8s.io',
  'roles.rbac.authorization.k8s.io',
  'serviceaccounts',
  'clusterrolebindings.rbac.authorization.k8s.io',
  'rolebindings.rbac.authorization.k8s.io',
  'secrets',
  'configmaps',
  'limitranges',
  'resourcequotas',
  'priorityclasses.scheduling.k8s.io',
  'services',
  'pods',
  'replicasets.apps',
];

/**
 * Admission configuration, restored after every other type. A webhook configuration restored
 * before what it calls is ready (its Deployment's pods just created, its Service maybe not
 * yet) makes the API server refuse the creates it intercepts with "failed calling webhook"
 * when its failurePolicy is Fail, past any retry, and the restore would need a second run.
 * Admission policies go last too: they hold what is created after them to rules that what was
 * already in the backed-up cluster may predate. This deviates from restore.md's "then every
 * other resource alphabetically".
 */
const admissionResources: readonly string[] = [
  'validatingadmissionpolicies.admissionregistration.k8s.io',
  'validatingadmissionpolicybindings.admissionregistration.k8s.io',
  'mutatingadmissionpolicies.admissionregistration.k8s.io',
  'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
  'validatingwebhookconfigurations.admissionregistration.k8s.io',
  'mutatingwebhookconfigurations.admissionregistration.k8s.io',
];

/** Whether the resource is admission configuration, restored in the final passes. */
export function isAdmissionResource(resource: string): boolean {
  return admissionResources.includes(resource);
}

export function orderResources(resources: Iterable<string>): string[] {
  const rank = (r: string) => {
    const i = restorePriorities.indexOf(r);
    if (i >= 0) return i;
    const last = admissionResources.indexOf(r);
    return last < 0 ? restorePriorities.length : restorePriorities.length + 1 + last;
  };
  return [...resources].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** `--ordered-resources` as resource → `namespace/name` items. */
export type OrderedResources = Readonly<Record<string, readonly string[]>>;

/**
 * The item order per resource: the backup's `--ordered-resources` (backup.md: "the same order
 * is used when that backup is restored"), with the restore's own for each resource it names.
 * Names are resolved to resources first, so that `cm` in one and `configmaps` in the other
 * name the same resource.
 */
export function mergeOrderedResources(backup: OrderedResources, restore: OrderedResources, resolve: (name: string) => Iterable<string>): Map<string, string[]> {
  const ordered = new Map<string, string[]>();
  for (const source of [backup, restore]) {
    for (const [name, refs] of Object.entries(source)) for (const resource of resolve(name)) ordered.set(resource, [...refs]);
  }
  return ordered;
}

/** `namespace/name` or `name`, as --ordered-resources lists items. */
function itemRef(item: Pick<IndexedItem, 'namespace' | 'name'>): string {
  return item.namespace === undefined ? item.name : `${item.namespace}/${item.name}`;
}

/** By namespace (cluster-scoped, without one, first), then name. */
function byNamespaceAndName(a: Pick<IndexedItem, 'namespace' | 'name'>, b: Pick<IndexedItem, 'namespace' | 'name'>): number {
  const na = a.namespace ?? '';
  const nb = b.namespace ?? '';
  if (na !== nb) return na < nb ? -1 : 1;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Items of one type: those `--ordered-resources` lists, in its order, then the rest by
 * namespace and name (cluster-scoped first). Returns how many come first as listed, and the
 * listed refs that are not in the archive, for warnings. Each item's ref is made once, and
 * only when some are listed: the sort compares items n log n times.
 */
export function orderItems<T extends Pick<IndexedItem, 'namespace' | 'name'>>(items: readonly T[], ordered: readonly string[] = []): { items: T[]; listed: number; missing: string[] } {
  if (ordered.length === 0) return { items: [...items].sort(byNamespaceAndName), listed: 0, missing: [] };
  const position = new Map<string, number>();
  ordered.forEach((ref, i) => {
    if (!position.has(ref)) position.set(ref, i);
  });
  const found = new Set<number>();
  const ranked = items.map((item) => {
    const rank = position.get(itemRef(item)) ?? Infinity;
    if (rank !== Infinity) found.add(rank);
    return { item, rank };
  });
  ranked.sort((a, b) => (a.rank !== b.rank ? a.rank - b.rank : a.rank === Infinity ? byNamespaceAndName(a.item, b.item) : 0));
  const listed = ranked.filter((r) => r.rank !== Infinity).length;
  return { items: ranked.map((r) => r.item), listed, missing: [...position].filter(([, rank]) => !found.has(rank)).map(([ref]) => ref) };
}
