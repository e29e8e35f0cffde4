import type { ArchiveIndex, IndexedItem } from './archive-index.js';
import { endpointsOfSelectorServiceReason } from './never-restored.js';
import type { ResourceFilter } from './resource-filter.js';

export const crdResource = 'customresourcedefinitions.apiextensions.k8s.io';

/** What the restore does with an item it selected. */
export type Decision = { readonly action: 'restore' } | { readonly action: 'skip'; readonly reason: 'never restored' | 'completed' | 'owned'; readonly detail: string };

const restore: Decision = { action: 'restore' };

export interface SelectionRules {
  /** Namespace include/exclude globs. */
  namespaces: { matches(namespace: string): boolean; readonly includesEverything: boolean };
  resources: ResourceFilter;
  includeClusterResources: boolean | undefined;
  includeOwnedResources: boolean;
}

/**
 * Which items of the archive this restore takes, and which of those it skips (restore.md,
 * Selection). Decided from the index alone, in two passes: first what the filters select,
 * then what depends on the whole selection (owners, namespaces and CRDs that selected items
 * need, Endpoints of selected Services).
 */
export class RestoreSelection {
  private readonly namespacesInUse = new Set<string>();
  private readonly neededCrds = new Set<string>();
  private readonly claims = new Set<string>();
  private readonly restoredOwners = new Set<string>();

  constructor(
    private readonly index: ArchiveIndex,
    private readonly rules: SelectionRules,
  ) {
    const crds = new Set((index.byResource.get(crdResource) ?? []).map((crd) => crd.name));
    for (const [resource, items] of index.byResource) {
      for (const item of items) {
        if (item.namespace === undefined || !this.filtersSelect(item)) continue;
        this.namespacesInUse.add(item.namespace);
        if (crds.has(resource)) this.neededCrds.add(resource);
        if (resource === 'persistentvolumeclaims') this.claims.add(`${item.namespace}/${item.name}`);
      }
    }
    for (const [uid, owner] of index.owners) {
      if (this.inScope(owner) && this.skipOfItsOwn(owner) === undefined) this.restoredOwners.add(uid);
    }
  }

  /** The decision for an item, or undefined when the filters leave it out of this restore. */
  decide(item: IndexedItem): Decision | undefined {
    if (!this.inScope(item)) return undefined;
    // Before owned: a finished Job of a restored CronJob is not recreated by it.
    const own = this.skipOfItsOwn(item);
    if (own !== undefined) return own;
    if (!this.rules.includeOwnedResources && item.controllerUid !== undefined && this.restoredOwners.has(item.controllerUid)) {
      const owner = this.index.owners.get(item.controllerUid)!;
      return { action: 'skip', reason: 'owned', detail: `its controller ${owner.kind} ${owner.name} is restored and recreates it` };
    }
    return restore;
  }

  /** A skip told from the item alone (never restored, or completed): such an item is no restored owner either. */
  private skipOfItsOwn(item: IndexedItem): Decision | undefined {
    const never = this.neverRestored(item);
    if (never !== undefined) return { action: 'skip', reason: 'never restored', detail: never };
    if (item.completed !== undefined) return { action: 'skip', reason: 'completed', detail: item.completed };
    return undefined;
  }

  private neverRestored(item: IndexedItem): string | undefined {
    if (item.neverRestored !== undefined) return item.neverRestored;
    if (item.resource === 'endpoints' && this.index.selectorServices.has(`${item.namespace ?? ''}/${item.name}`)) return endpointsOfSelectorServiceReason;
    return undefined;
  }

  /** The namespace, resource and label filters, for namespaced items. */
  private filtersSelect(item: IndexedItem): boolean {
    return this.rules.namespaces.matches(item.namespace!) && this.rules.resources.includes(item.resource) && item.matchesSelector;
  }

  private inScope(item: IndexedItem): boolean {
    if (item.namespace !== undefined) return this.filtersSelect(item);
    const { resources, namespaces, includeClusterResources } = this.rules;
    if (item.resource === 'namespaces') {
      // The Namespace objects of selected items come along (with their labels and annotations),
      // unless namespaces are excluded by name; others only when the filters select them.
      if (!namespaces.matches(item.name) || resources.excludes('namespaces')) return false;
      return this.namespacesInUse.has(item.name) || (resources.includes('namespaces') && item.matchesSelector);
    }
    if (includeClusterResources === false) return false;
    if (item.resource === crdResource && this.neededCrds.has(item.name) && !resources.excludes(crdResource)) return true;
    if (item.resource === 'persistentvolumes' && item.claim !== undefined && this.claims.has(item.claim) && !resources.excludes('persistentvolumes')) return true;
    if (!resources.includes(item.resource) || !item.matchesSelector) return false;
    return includeClusterResources === true || namespaces.includesEverything;
  }
}
