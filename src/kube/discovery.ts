import pLimit from 'p-limit';
import { errorMessage } from '../errors.js';
import type { KubeClient } from './client.js';

/** One served resource of one group version, as discovery describes it. */
export interface ApiResource {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1` or `apps/v1`: what objects carry as apiVersion. */
  groupVersion: string;
  /** Plural name: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  categories: string[];
  /** True when `version` is the group's preferred version. */
  preferred: boolean;
}

interface ApiResourceJson {
  name: string;
  singularName?: string;
  namespaced: boolean;
  kind: string;
  verbs?: string[];
  shortNames?: string[];
  categories?: string[];
}

interface ApiGroupJson {
  name: string;
  versions: { groupVersion: string; version: string }[];
  preferredVersion?: { groupVersion: string; version: string };
}

/** `resource` or `resource.group`: the key used in archives, priorities and ordered-resources. */
export function qualifiedName(res: Pick<ApiResource, 'resource' | 'group'>): string {
  return res.group ? `${res.resource}.${res.group}` : res.resource;
}

/**
 * Resources served twice under another group: the same objects, so a backup takes them once,
 * from the core or newer group.
 */
const servedElsewhere = new Set(['events.events.k8s.io']);
const legacyGroups = new Set(['extensions']);

/** A group version whose discovery document could not be read: its resources are unknown. */
export interface UnreadGroupVersion {
  groupVersion: string;
  reason: string;
}

export class Discovery {
  /** Per group and resource, the version a backup reads it in (see servedVersions). */
  private readonly chosen: ReadonlySet<ApiResource>;

  private constructor(
    private readonly resources: ApiResource[],
    /**
     * Group versions discovery could not read (an aggregated API server that is down,
     * metrics-server most often): failed in legacy discovery, Stale in aggregated discovery. As
     * with kubectl and Velero, the rest is used; what is not known is for the caller to report.
     */
    readonly unread: readonly UnreadGroupVersion[] = [],
  ) {
    this.chosen = servedVersions(resources);
  }

  static fromResources(resources: ApiResource[], unread: readonly UnreadGroupVersion[] = []): Discovery {
    return new Discovery(resources, unread);
  }

  /**
   * Reads discovery as kubectl does: aggregated discovery first, where `/api` and `/apis`
   * answer every group, version and resource in two requests (on by default since Kubernetes
   * 1.27); else legacy
   * discovery, one more request per group version (concurrently). Clusters with many CRDs and
   * aggregated APIs serve dozens of group versions, each a round trip to the API server.
   */
  static async load(client: KubeClient, concurrency = 8): Promise<Discovery> {
    const [core, groups] = await Promise.all([
      client.json<LegacyCore | AggregatedList>({ method: 'GET', path: '/api', accept: aggregatedAccept }),
      client.json<LegacyGroups | AggregatedList>({ method: 'GET', path: '/apis', accept: aggregatedAccept }),
    ]);
    if (isAggregated(core) && isAggregated(groups)) {
      const unread: UnreadGroupVersion[] = [];
      return new Discovery([...fromAggregated(core, unread), ...fromAggregated(groups, unread)], unread);
    }
    // A server (or a proxy) that answered one request in each form: legacy documents for both.
    const legacyCore = isAggregated(core) ? await client.json<LegacyCore>({ method: 'GET', path: '/api' }) : core;
    const legacyGroups = isAggregated(groups) ? await client.json<LegacyGroups>({ method: 'GET', path: '/apis' }) : groups;
    const { resources, unread } = await loadLegacy(client, legacyCore, legacyGroups, concurrency);
    return new Discovery(resources, unread);
  }

  /** Every resource of every version, subresources included. */
  all(): readonly ApiResource[] {
    return this.resources;
  }

  /**
   * What a backup can take: top-level resources (no subresources) that can be listed, read,
   * created and deleted, each in one version (servedVersions), each set of objects once.
   */
  backupCandidates(): ApiResource[] {
    const candidates = this.resources.filter(
      (r) =>
        this.chosen.has(r) &&
        ['list', 'get', 'create', 'delete'].every((verb) => r.verbs.includes(verb)) &&
        !servedElsewhere.has(qualifiedName(r)),
    );
    const byResourceName = new Set(candidates.filter((r) => !legacyGroups.has(r.group)).map((r) => r.resource));
    return candidates.filter((r) => !(legacyGroups.has(r.group) && byResourceName.has(r.resource)));
  }

  /**
   * Finds a resource by any name kubectl accepts: plural, singular, kind, short name,
   * `resource.group` or `resource.version.group`; case-insensitive. The version a backup
   * reads a resource in wins (servedVersions).
   */
  resolve(name: string): ApiResource | undefined {
    return this.resolveAll(name)[0];
  }

  /** Every top-level resource a name can mean, the versions a backup reads first. */
  resolveAll(name: string): ApiResource[] {
    const wanted = name.trim().toLowerCase();
    if (!wanted) return [];
    const topLevel = this.resources.filter((r) => !r.resource.includes('/'));
    const ranked = [...topLevel].sort((a, b) => Number(this.chosen.has(b)) - Number(this.chosen.has(a)));
    const exact = ranked.filter((r) => names(r).includes(wanted));
    // Unqualified names prefer the core group, then groups that are not legacy copies, as kubectl does.
    exact.sort((a, b) => groupRank(a) - groupRank(b));
    if (exact.length > 0) return exact;
    const qualified = ranked.filter((r) => r.group && names(r).some((base) => wanted === `${base}.${r.group}` || wanted === `${base}.${r.version}.${r.group}`));
    if (qualified.length > 0) return qualified;
    // As kubectl's REST mapper: only when no group matches exactly, a group prefix does
    // (`storageclasses.storage` for `storage.k8s.io`).
    return ranked.filter((r) => r.group && names(r).some((base) => wanted.startsWith(`${base}.`) && wanted.length > base.length + 1 && r.group.startsWith(wanted.slice(base.length + 1))));
  }

  /** The resource for an apiVersion and kind (what an object in an archive says it is), in that version where it is served. */
  forKind(apiVersion: string, kind: string): ApiResource | undefined {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    const matches = this.resources.filter((r) => r.group === group && r.kind === kind && !r.resource.includes('/'));
    return matches.find((r) => r.version === version) ?? matches.find((r) => this.chosen.has(r)) ?? matches[0];
  }

  /** The version a backup reads a `resource[.group]` name in, as archives write the name. */
  byQualifiedName(name: string): ApiResource | undefined {
    return this.backupCandidates().find((r) => qualifiedName(r) === name) ?? this.resources.find((r) => this.chosen.has(r) && qualifiedName(r) === name);
  }
}

/**
 * The version of each group's resources that a backup reads, by client-go's
 * ServerPreferredResources (what kubectl and Velero use): the group's preferred version where
 * it serves the resource, else the first version, in the server's order of priority, that
 * does. A group may prefer a version that lacks some of its resources (Istio's
 * networking.istio.io prefers v1, EnvoyFilter is only in v1alpha3); those are still taken.
 * `resources` lists each group's versions in that order, as both forms of discovery give them.
 */
function servedVersions(resources: readonly ApiResource[]): Set<ApiResource> {
  const byGroupResource = new Map<string, ApiResource>();
  for (const r of resources) {
    if (r.resource.includes('/')) continue;
    const key = qualifiedName(r);
    if (!byGroupResource.has(key) || r.preferred) byGroupResource.set(key, r);
  }
  return new Set(byGroupResource.values());
}

/**
 * Aggregated discovery (apidiscovery.k8s.io: v2 since Kubernetes 1.30, v2beta1 in 1.27-1.32),
 * with plain JSON last so that older servers answer their legacy documents.
 */
const aggregatedAccept = [
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
  'application/json',
].join(',');

interface LegacyCore {
  versions?: string[];
}

interface LegacyGroups {
  groups?: ApiGroupJson[];
}

interface AggregatedList {
  kind: 'APIGroupDiscoveryList';
  items?: {
    metadata?: { name?: string };
    /** In order of preference: the first is the group's preferred version. */
    versions?: {
      version: string;
      /** Stale: the aggregated API server behind it does not answer, and what it serves is not known. */
      freshness?: string;
      resources?: {
        resource: string;
        responseKind?: { kind?: string };
        scope?: string;
        singularResource?: string;
        verbs?: string[];
        shortNames?: string[];
        categories?: string[];
        subresources?: { subresource: string; responseKind?: { kind?: string }; verbs?: string[] }[];
      }[];
    }[];
  }[];
}

function isAggregated(body: object): body is AggregatedList {
  return (body as { kind?: unknown }).kind === 'APIGroupDiscoveryList';
}

/**
 * The resources an aggregated document lists, as legacy discovery lists them: subresources as
 * `resource/subresource` entries of their own. A version marked Stale (an aggregated API server
 * that does not answer, metrics-server most often) is unread, as client-go counts it failed:
 * what it serves is not known. The group's preferred version is its first one that is not.
 */
function fromAggregated(list: AggregatedList, unread: UnreadGroupVersion[]): ApiResource[] {
  const resources: ApiResource[] = [];
  for (const group of list.items ?? []) {
    const name = group.metadata?.name ?? '';
    const fresh = (group.versions ?? []).filter(({ version, freshness }) => {
      if (freshness !== 'Stale') return true;
      unread.push({ groupVersion: name ? `${name}/${version}` : version, reason: 'its API server does not answer (discovery says Stale)' });
      return false;
    });
    fresh.forEach(({ version, resources: served }, index) => {
      for (const r of served ?? []) {
        const kind = r.responseKind?.kind ?? '';
        const entry = apiResource(name, version, index === 0, {
          resource: r.resource,
          singular: r.singularResource || kind.toLowerCase(),
          kind,
          shortNames: r.shortNames ?? [],
          namespaced: r.scope === 'Namespaced',
          verbs: r.verbs ?? [],
          categories: r.categories ?? [],
        });
        resources.push(entry);
        for (const sub of r.subresources ?? []) {
          const subKind = sub.responseKind?.kind ?? '';
          resources.push({ ...entry, resource: `${r.resource}/${sub.subresource}`, singular: subKind.toLowerCase(), kind: subKind, shortNames: [], verbs: sub.verbs ?? [], categories: [] });
        }
      }
    });
  }
  return resources;
}

/** A resource of a group version, as either form of discovery describes it. */
function apiResource(group: string, version: string, preferred: boolean, described: Omit<ApiResource, 'group' | 'version' | 'groupVersion' | 'preferred'>): ApiResource {
  return { group, version, groupVersion: group ? `${group}/${version}` : version, ...described, preferred };
}

/**
 * Legacy discovery: the resources of every group version the two documents name, read
 * concurrently. A group version that fails is left out and named; the core group's failure
 * fails the whole, as nothing can be backed up without it.
 */
async function loadLegacy(client: KubeClient, core: LegacyCore, groups: LegacyGroups, concurrency: number): Promise<{ resources: ApiResource[]; unread: UnreadGroupVersion[] }> {
  const targets: { group: string; version: string; path: string; preferred: boolean }[] = [];
  for (const version of core.versions ?? []) {
    targets.push({ group: '', version, path: `/api/${version}`, preferred: version === 'v1' });
  }
  for (const group of groups.groups ?? []) {
    const preferred = group.preferredVersion?.version ?? group.versions[0]?.version;
    for (const v of group.versions) {
      targets.push({ group: group.name, version: v.version, path: `/apis/${v.groupVersion}`, preferred: v.version === preferred });
    }
  }
  const limit = pLimit(concurrency);
  const lists = await Promise.allSettled(
    targets.map((t) =>
      limit(async () => {
        const list = await client.json<{ resources?: ApiResourceJson[] }>({ method: 'GET', path: t.path });
        return (list.resources ?? []).map((r) =>
          apiResource(t.group, t.version, t.preferred, {
            resource: r.name,
            singular: r.singularName || r.kind.toLowerCase(),
            kind: r.kind,
            shortNames: r.shortNames ?? [],
            namespaced: r.namespaced,
            verbs: r.verbs ?? [],
            categories: r.categories ?? [],
          }),
        );
      }),
    ),
  );
  const resources: ApiResource[] = [];
  const unread: UnreadGroupVersion[] = [];
  lists.forEach((list, i) => {
    const target = targets[i]!;
    if (list.status === 'fulfilled') resources.push(...list.value);
    else if (target.group === '') throw list.reason;
    else unread.push({ groupVersion: `${target.group}/${target.version}`, reason: errorMessage(list.reason) });
  });
  return { resources, unread };
}

/** The names kubectl accepts for a resource before its group. */
function names(r: ApiResource): string[] {
  return [r.resource, r.singular, r.kind.toLowerCase(), ...r.shortNames];
}

function groupRank(r: ApiResource): number {
  if (r.group === '') return 0;
  if (legacyGroups.has(r.group)) return 2;
  return 1;
}

/** The REST path of a resource collection or item. */
export function resourcePath(res: Pick<ApiResource, 'group' | 'version' | 'resource' | 'namespaced'>, namespace?: string, name?: string): string {
  const prefix = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  const ns = res.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const item = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${prefix}${ns}/${res.resource}${item}`;
}
