/**
 * The patch strategy of a list field, as the Go types' `patchStrategy`/`patchMergeKey` tags
 * declare it. Lists not named here are atomic (replaced whole).
 */
export interface ListPatchMeta {
  strategy: 'merge' | 'replace';
  /** Merge key of a list of maps; absent for a merged list of primitives (a set). */
  key?: string;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Merge keys by field name; `ports` depends on where it is (container vs Service). */
const BY_FIELD: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  volumeDevices: 'devicePath',
  imagePullSecrets: 'name',
  hostAliases: 'ip',
  topologySpreadConstraints: 'topologyKey',
  resourceClaims: 'name',
  schedulingGates: 'name',
  conditions: 'type',
  ownerReferences: 'uid',
  taints: 'key',
  addresses: 'type',
  podIPs: 'ip',
  hostIPs: 'ip',
  secrets: 'name',
};

/** `path` is the chain of field names (list indexes omitted) down to the list. */
export function listPatchMeta(path: readonly string[]): ListPatchMeta {
  const field = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (field === 'finalizers' && parent === 'metadata') return { strategy: 'merge' };
  if (field === 'ports') {
    if (CONTAINER_LISTS.has(parent)) return { strategy: 'merge', key: 'containerPort' };
    if (parent === 'spec') return { strategy: 'merge', key: 'port' };
    return { strategy: 'replace' };
  }
  if (field === 'secrets' && parent !== '') return { strategy: 'replace' };
  const key = BY_FIELD[field];
  return key ? { strategy: 'merge', key } : { strategy: 'replace' };
}
