import type { JsonObject } from './json.js';
import { groupVersion, type ResourceDef, type SubresourceDef } from './resource-def.js';
import type { ResolvedResource, ResourceRegistry } from './resource-registry.js';

export const AGGREGATED_CONTENT_TYPE = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

function visible(resources: ResolvedResource[]): ResolvedResource[] {
  return resources.filter((r) => !r.def.hidden);
}

function mainEntry(def: ResourceDef): JsonObject {
  const entry: JsonObject = { name: def.plural, singularName: def.singular, namespaced: def.namespaced, kind: def.kind, verbs: def.verbs };
  if (def.shortNames.length > 0) entry.shortNames = def.shortNames;
  if (def.categories.length > 0) entry.categories = def.categories;
  entry.storageVersionHash = def.storageVersionHash;
  return entry;
}

function subEntry(def: ResourceDef, sub: SubresourceDef): JsonObject {
  const entry: JsonObject = { name: `${def.plural}/${sub.name}`, singularName: '', namespaced: def.namespaced };
  if (sub.group !== undefined) entry.group = sub.group;
  if (sub.version !== undefined) entry.version = sub.version;
  entry.kind = sub.kind;
  entry.verbs = sub.verbs;
  return entry;
}

/** Legacy discovery documents (APIVersions, APIGroupList, APIGroup, APIResourceList). */
export class Discovery {
  constructor(private readonly registry: ResourceRegistry, private readonly serverAddress: () => string) {}

  apiVersions(): JsonObject {
    return {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: this.serverAddress() }],
    };
  }

  private groupEntry(name: string, versions: string[]): JsonObject {
    const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
    return { name, versions: list, preferredVersion: list[0] ?? null };
  }

  private visibleGroups(): { name: string; versions: string[] }[] {
    return this.registry.groups()
      .map((g) => ({ name: g.name, versions: g.versions.filter((v) => visible(this.registry.resourcesIn(g.name, v)).length > 0) }))
      .filter((g) => g.versions.length > 0);
  }

  apiGroupList(): JsonObject {
    return { kind: 'APIGroupList', apiVersion: 'v1', groups: this.visibleGroups().map((g) => this.groupEntry(g.name, g.versions)) };
  }

  apiGroup(group: string): JsonObject | undefined {
    const g = this.visibleGroups().find((x) => x.name === group);
    return g ? { kind: 'APIGroup', apiVersion: 'v1', ...this.groupEntry(g.name, g.versions) } : undefined;
  }

  resourceList(group: string, version: string): JsonObject | undefined {
    const resources = visible(this.registry.resourcesIn(group, version));
    if (resources.length === 0) return undefined;
    const entries: JsonObject[] = [];
    for (const { def, version: v } of resources) {
      entries.push(mainEntry(def));
      for (const sub of [...v.subresources].sort((a, b) => (a.name < b.name ? -1 : 1))) entries.push(subEntry(def, sub));
    }
    const list: JsonObject = { kind: 'APIResourceList' };
    if (group !== '') list.apiVersion = 'v1';
    list.groupVersion = groupVersion(group, version);
    list.resources = entries;
    return list;
  }

  /** apidiscovery.k8s.io/v2 APIGroupDiscoveryList for /api (core) or /apis (named groups). */
  aggregated(core: boolean): JsonObject {
    const groups = core ? [{ name: '', versions: ['v1'] }] : this.visibleGroups();
    const items = groups.map((g) => ({
      metadata: { name: g.name, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: visible(this.registry.resourcesIn(g.name, v)).map(({ def, version }) => {
          const res: JsonObject = {
            resource: def.plural,
            responseKind: { group: def.group, version: version.name, kind: def.kind },
            scope: def.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: def.singular,
            verbs: def.verbs,
          };
          if (def.shortNames.length > 0) res.shortNames = def.shortNames;
          if (def.categories.length > 0) res.categories = def.categories;
          if (version.subresources.length > 0) {
            res.subresources = version.subresources.map((s) => ({
              subresource: s.name,
              responseKind: { group: s.group ?? def.group, version: s.version ?? version.name, kind: s.kind },
              verbs: s.verbs,
            }));
          }
          return res;
        }),
        freshness: 'Current',
      })),
    }));
    return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
  }
}
