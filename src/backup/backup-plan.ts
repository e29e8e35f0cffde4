import { qualifiedName, type ApiResource, type Discovery } from '../kube/discovery.js';
import type { BackupFilters } from './backup-request.js';
import { compareNames, compareNamespaces } from './name-order.js';
import { isGlob, NamespaceFilter } from './namespace-filter.js';
import { parseOrderedItem, type OrderedItem } from './ordered-resources.js';

export const namespacesKey = 'namespaces';
export const crdKey = 'customresourcedefinitions.apiextensions.k8s.io';

/** How the items of one resource type are listed. */
export type TypeScope =
  | { kind: 'cluster' }
  /** One LIST across all namespaces; `only` filters namespaces client-side when some are left out. */
  | { kind: 'all-namespaces'; only?: ReadonlySet<string> }
  /** One LIST per namespace, in name order. */
  | { kind: 'each-namespace'; namespaces: readonly string[] };

export interface PlannedType {
  resource: ApiResource;
  /** `resource[.group]`: archive directory, counts, messages. */
  key: string;
  scope: TypeScope;
  /** When set, only objects with these names (Namespace objects, CRDs added for their custom resources). */
  names?: ReadonlySet<string>;
  /**
   * Objects with these names are taken besides those the label selectors select, whatever the
   * selectors say: the CRDs of the custom resources taken, when the CRD type is listed with -l
   * or --or-selector.
   */
  alsoNames?: ReadonlySet<string>;
  /** `--ordered-resources` items, first in this order, with the resource name the user wrote. */
  ordered?: { as: string; items: OrderedItem[] };
}

export interface NamespaceScan {
  /** Every namespace that exists. */
  all: readonly string[];
  /** Namespaces whose exclusion label leaves them and everything in them out. */
  excludedByLabel: ReadonlySet<string>;
  /**
   * False when the namespaces could not be listed (a user whose rights end at their own
   * namespaces) and `all` is what --include-namespaces names: then each is listed on its own,
   * and whether it exists is left to its LISTs.
   */
  complete?: false;
}

export interface BackupPlan {
  /** In archive order: cluster-scoped types, then namespaced ones, each by `resource.group`. */
  types: PlannedType[];
  includedNamespaces: string[];
  /** Filter and ordering problems that do not stop the backup (unknown names...). */
  warnings: string[];
  /**
   * Problems that make the backup PartiallyFailed: namespaces named (not matched by a glob) in
   * --include-namespaces that do not exist, as with Velero (since 1.14), so that a mistyped or
   * missing namespace does not pass as a Completed backup of nothing.
   */
  errors: string[];
  /**
   * Whether CRDs of custom resources that get backed up must be added (backup.md, 8): the CRD
   * type is not already taken whole (it is not planned, or planned with label selectors, which
   * the CRDs of the custom resources taken need not match) and was not excluded (by
   * --exclude-resources, or by --include-cluster-resources=false, which refuses every
   * cluster-scoped object).
   */
  addCrds: boolean;
}

/**
 * Decides what a backup takes (backup.md, "What is collected"): candidates from discovery,
 * resource filters by any kubectl name, namespace globs over existing namespaces, cluster-
 * scoped types per --include-cluster-resources, Namespace objects of included namespaces
 * always. Pure: discovery and the namespaces are read before.
 */
export function planBackup(discovery: Discovery, filters: BackupFilters, scan: NamespaceScan): BackupPlan {
  const warnings: string[] = [];
  const candidates = discovery.backupCandidates();
  const byKey = new Map(candidates.map((r) => [qualifiedName(r), r]));
  /** The candidates the names mean; each name that means none is a warning, and counted. */
  const resolveAll = (flag: string, names: readonly string[]) => {
    const keys = new Set<string>();
    let unresolved = 0;
    for (const name of names) {
      if (name === '*') continue;
      const resolved = resolveCandidate(discovery, byKey, name);
      if (typeof resolved === 'string') keys.add(resolved);
      else {
        warnings.push(`--${flag}: ${resolved.problem}`);
        unresolved++;
      }
    }
    return { keys, unresolved };
  };
  const includeAll = filters.includeResources.length === 0 || filters.includeResources.includes('*');
  const { keys: includes, unresolved } = resolveAll('include-resources', filters.includeResources);
  const { keys: excludes } = resolveAll('exclude-resources', filters.excludeResources);
  const unreadErrors = unreadDiscoveryProblems(discovery, includeAll, unresolved > 0);
  const wanted = (key: string) => (includeAll || includes.has(key)) && !excludes.has(key);

  const namespaceFilter = new NamespaceFilter(filters.includeNamespaces, filters.excludeNamespaces);
  const includedNamespaces = scan.all.filter((ns) => namespaceFilter.matches(ns) && !scan.excludedByLabel.has(ns)).sort(compareNamespaces);
  const existing = new Set(scan.all);
  const missing = new Set(scan.complete === false ? [] : filters.includeNamespaces.filter((name) => !isGlob(name) && !existing.has(name)));
  const errors = [...missing].map((name) => `--include-namespaces: namespace ${name} does not exist`);
  errors.push(...unreadErrors.errors);
  warnings.push(...unreadErrors.warnings);
  const everyNamespace = includedNamespaces.length === scan.all.length;
  const clusterScoped = filters.includeClusterResources ?? namespaceFilter.includesEverything;
  const namespacedScope = chooseNamespacedScope(includedNamespaces, scan.all.length, everyNamespace, filters.orSelectors.length > 0 || scan.complete === false);

  const types: PlannedType[] = [];
  for (const [key, resource] of byKey) {
    if (key === namespacesKey) {
      // The Namespace objects of included namespaces are always taken, unless named in --exclude-resources.
      if (!excludes.has(key)) types.push({ resource, key, scope: { kind: 'cluster' }, names: new Set(includedNamespaces) });
    } else if (resource.namespaced) {
      if (wanted(key) && includedNamespaces.length > 0) types.push({ resource, key, scope: namespacedScope });
    } else if (clusterScoped && wanted(key)) {
      types.push({ resource, key, scope: { kind: 'cluster' } });
    }
  }

  for (const [as, items] of Object.entries(filters.orderedResources)) {
    const resolved = resolveCandidate(discovery, byKey, as);
    if (typeof resolved !== 'string') {
      warnings.push(`--ordered-resources: ${resolved.problem}`);
      continue;
    }
    const type = types.find((t) => t.key === resolved);
    if (!type) {
      warnings.push(`--ordered-resources: ${as} is not part of this backup (its filters leave ${resolved} out)`);
      continue;
    }
    const parsed: OrderedItem[] = [];
    for (const item of items) {
      const ref = parseOrderedItem(item);
      if (type.resource.namespaced && ref.namespace === undefined) warnings.push(`--ordered-resources: ${as} are namespaced; write ${item} as namespace/${item}`);
      else if (!type.resource.namespaced && ref.namespace !== undefined) warnings.push(`--ordered-resources: ${as} are cluster-scoped; write ${item} as ${ref.name}`);
      else parsed.push(ref);
    }
    if (parsed.length === 0) continue;
    // Two names of one resource (`pods=...;po=...`): both orders, the first name's items first.
    const earlier = type.ordered;
    if (earlier === undefined) type.ordered = { as, items: parsed };
    else {
      const seen = new Set(earlier.items.map((i) => `${i.namespace ?? ''}/${i.name}`));
      type.ordered = { as: earlier.as, items: [...earlier.items, ...parsed.filter((i) => !seen.has(`${i.namespace ?? ''}/${i.name}`))] };
    }
  }

  const crdResource = byKey.get(crdKey);
  const selected = filters.labelSelector !== undefined || filters.orSelectors.length > 0;
  const crdsWhole = types.some((t) => t.key === crdKey) && !selected;
  const addCrds = crdResource !== undefined && !crdsWhole && !excludes.has(crdKey) && filters.includeClusterResources !== false;
  return { types: sortTypes(types), includedNamespaces, warnings, errors, addCrds };
}

/**
 * Adds the CRDs of custom resources found during planning: to the CRD type where it is planned
 * (with selectors; each CRD then comes once), else as a cluster-scoped type of only those names.
 */
export function withCrds(plan: BackupPlan, discovery: Discovery, crdNames: ReadonlySet<string>): BackupPlan {
  const resource = discovery.backupCandidates().find((r) => qualifiedName(r) === crdKey);
  if (!resource || crdNames.size === 0) return plan;
  if (plan.types.some((t) => t.key === crdKey)) {
    return { ...plan, types: plan.types.map((t) => (t.key === crdKey ? { ...t, alsoNames: crdNames } : t)) };
  }
  return { ...plan, types: sortTypes([...plan.types, { resource, key: crdKey, scope: { kind: 'cluster' }, names: crdNames }]) };
}

/**
 * One LIST across namespaces is far cheaper than one per namespace when most namespaces are
 * in; client-side filtering then drops the rest. With --or-selector, lists are per namespace
 * so that merging the selectors' lists only ever compares names (see ListPosition on order);
 * so they are when the namespaces could not be listed, as a cluster-wide LIST would not be
 * allowed either.
 * @param eachOnItsOwn every namespace listed on its own
 */
function chooseNamespacedScope(included: readonly string[], total: number, everyNamespace: boolean, eachOnItsOwn: boolean): TypeScope {
  if (eachOnItsOwn) return { kind: 'each-namespace', namespaces: included };
  if (everyNamespace) return { kind: 'all-namespaces' };
  if (included.length * 2 >= total) return { kind: 'all-namespaces', only: new Set(included) };
  return { kind: 'each-namespace', namespaces: included };
}

/**
 * What group versions whose discovery failed mean for the backup. Their resources are unknown:
 * a backup of everything, or one naming a resource that did not resolve, may miss objects, an
 * error (PartiallyFailed rather than a Completed backup without them); a backup whose named
 * resources all resolved elsewhere is told in a warning.
 */
function unreadDiscoveryProblems(discovery: Discovery, includeAll: boolean, someNameUnresolved: boolean): { errors: string[]; warnings: string[] } {
  const problems = discovery.unread.map(({ groupVersion, reason }) => `cannot read the API discovery of ${groupVersion} (${reason})`);
  if (includeAll) return { errors: problems.map((p) => `${p}: what it serves may be missing from this backup`), warnings: [] };
  if (someNameUnresolved) return { errors: problems.map((p) => `${p}: a resource of --include-resources that matches nothing may be served there`), warnings: [] };
  return { errors: [], warnings: problems.map((p) => `${p}: every resource of --include-resources was found elsewhere`) };
}

function sortTypes(types: PlannedType[]): PlannedType[] {
  return [...types].sort((a, b) => Number(a.resource.namespaced) - Number(b.resource.namespaced) || compareNames(a.key, b.key));
}

/**
 * The candidate a user's name means, or why there is none. A name can resolve to a resource
 * that is not a candidate: a served-twice copy (events.events.k8s.io) maps to the candidate of
 * the same resource and kind; anything else cannot be backed up.
 */
function resolveCandidate(discovery: Discovery, byKey: ReadonlyMap<string, ApiResource>, name: string): string | { problem: string } {
  const matches = discovery.resolveAll(name);
  for (const match of matches) {
    const key = qualifiedName(match);
    if (byKey.has(key)) return key;
  }
  const first = matches[0];
  if (!first) return { problem: `"${name}" matches no resource the cluster serves` };
  for (const [key, candidate] of byKey) {
    if (candidate.resource === first.resource && candidate.kind === first.kind) return key;
  }
  return { problem: `"${name}" (${qualifiedName(first)}) cannot be backed up: it does not support list, get, create and delete` };
}
