import { BUILTIN_GROUP_ORDER, builtinResources } from './builtin-resources.js';
import type { ResourceDef, VersionDef } from './resource-def.js';
import { compareVersionPriority } from './version-priority.js';

export interface ResolvedResource {
  def: ResourceDef;
  version: VersionDef;
}

export interface GroupInfo {
  name: string;
  /** Versions served in the group, preferred first. */
  versions: string[];
}

/**
 * Every resource the server serves, built-in and from CustomResourceDefinitions, with the
 * look-ups the HTTP layer, discovery and the controllers need.
 */
export class ResourceRegistry {
  private readonly defs = new Map<string, ResourceDef>();
  /** Bumped on every change so that cached discovery documents can be dropped. */
  generation = 0;

  constructor() {
    for (const def of builtinResources()) this.add(def);
  }

  private static id(group: string, plural: string): string {
    return `${group}/${plural}`;
  }

  add(def: ResourceDef): void {
    this.defs.set(ResourceRegistry.id(def.group, def.plural), def);
    this.generation++;
  }

  remove(group: string, plural: string): void {
    if (this.defs.delete(ResourceRegistry.id(group, plural))) this.generation++;
  }

  get(group: string, plural: string): ResourceDef | undefined {
    return this.defs.get(ResourceRegistry.id(group, plural));
  }

  all(): ResourceDef[] {
    return [...this.defs.values()];
  }

  resolve(group: string, version: string, plural: string): ResolvedResource | undefined {
    const def = this.get(group, plural);
    const v = def?.versions.find((x) => x.name === version);
    return def && v ? { def, version: v } : undefined;
  }

  /** The resource serving a kind at an apiVersion (for ownerReferences and seeding). */
  byKind(apiVersion: string, kind: string): ResolvedResource | undefined {
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    for (const def of this.defs.values()) {
      if (def.group !== group || def.kind !== kind) continue;
      const v = def.versions.find((x) => x.name === version);
      if (v) return { def, version: v };
    }
    return undefined;
  }

  hasGroupVersion(group: string, version: string): boolean {
    for (const def of this.defs.values()) {
      if (def.group === group && def.versions.some((v) => v.name === version)) return true;
    }
    return false;
  }

  resourcesIn(group: string, version: string): ResolvedResource[] {
    const out: ResolvedResource[] = [];
    for (const def of this.defs.values()) {
      if (def.group !== group) continue;
      const v = def.versions.find((x) => x.name === version);
      if (v) out.push({ def, version: v });
    }
    return out.sort((a, b) => (a.def.plural < b.def.plural ? -1 : a.def.plural > b.def.plural ? 1 : 0));
  }

  /** Named groups in /apis order: built-in groups first, then custom groups by name. */
  groups(): GroupInfo[] {
    const versionsByGroup = new Map<string, Set<string>>();
    for (const def of this.defs.values()) {
      if (def.group === '') continue;
      let set = versionsByGroup.get(def.group);
      if (!set) versionsByGroup.set(def.group, (set = new Set()));
      for (const v of def.versions) set.add(v.name);
    }
    const rank = (g: string): number => {
      const i = BUILTIN_GROUP_ORDER.indexOf(g);
      return i < 0 ? BUILTIN_GROUP_ORDER.length : i;
    };
    return [...versionsByGroup.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, versions]) => ({ name, versions: [...versions].sort(compareVersionPriority) }));
  }
}
