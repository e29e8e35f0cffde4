import { qualifiedName, type Discovery } from '../kube/discovery.js';
import { splitResource } from './type-target.js';

/** A resource type of the archive: `resource[.group]` and its kind. */
export interface ArchiveResource {
  readonly resource: string;
  readonly kind: string;
}

export interface ResourceFilter {
  includes(resource: string): boolean;
  /** Whether an exclude names the resource (included or not). */
  excludes(resource: string): boolean;
  /** Filter names that match no resource of the archive: warnings, not errors (as for backups). */
  readonly unmatched: readonly string[];
}

/**
 * The archive's resources a filter name means. Names are what kubectl accepts: the cluster's
 * discovery knows short names and singulars; the archive alone knows plurals, kinds and
 * `resource.group`, which is enough for types the cluster does not serve yet (custom
 * resources whose CRD is in the backup). Unqualified names prefer the core group, as kubectl.
 */
export function matchResourceName(name: string, resources: readonly ArchiveResource[], discovery: Discovery | undefined): string[] {
  const wanted = name.trim().toLowerCase();
  if (wanted === '*') return resources.map((r) => r.resource);
  const inArchive = new Set(resources.map((r) => r.resource));
  if (inArchive.has(wanted)) return [wanted];
  const served = discovery?.resolveAll(wanted)[0];
  if (served && inArchive.has(qualifiedName(served))) return [qualifiedName(served)];
  const byPluralOrKind = resources.filter((r) => splitResource(r.resource).plural === wanted || r.kind.toLowerCase() === wanted);
  if (byPluralOrKind.length > 0) {
    const core = byPluralOrKind.filter((r) => splitResource(r.resource).group === '');
    return (core.length > 0 ? core : byPluralOrKind).map((r) => r.resource);
  }
  const dot = wanted.indexOf('.');
  if (dot < 0) return [];
  const base = wanted.slice(0, dot);
  const group = wanted.slice(dot + 1);
  return resources
    .filter((r) => {
      const split = splitResource(r.resource);
      return (split.plural === base || r.kind.toLowerCase() === base) && split.group.startsWith(group);
    })
    .map((r) => r.resource);
}

/** Include/exclude resource names resolved against the archive; exclude wins. */
export function resolveResourceFilter(includes: readonly string[], excludes: readonly string[], resources: readonly ArchiveResource[], discovery: Discovery | undefined): ResourceFilter {
  const unmatched: string[] = [];
  const resolve = (names: readonly string[]) => {
    const set = new Set<string>();
    for (const name of names) {
      const matches = matchResourceName(name, resources, discovery);
      if (matches.length === 0 && name !== '*') unmatched.push(name);
      for (const m of matches) set.add(m);
    }
    return set;
  };
  const included = includes.length === 0 ? new Set(resources.map((r) => r.resource)) : resolve(includes);
  const excluded = resolve(excludes);
  return { includes: (resource) => included.has(resource) && !excluded.has(resource), excludes: (resource) => excluded.has(resource), unmatched };
}
