import { NamespaceFilter } from '../backup/namespace-filter.js';
import type { SpoolScope } from './archive-index.js';
import type { RestoreFilters } from './restore-filters.js';

/**
 * The items a restore with these filters may read, as far as the item alone tells (restore.md,
 * Selection; restore-selection.ts decides the rest): a namespaced item only in an included
 * namespace and matching the label selector; a Namespace only when its name is included; other
 * cluster-scoped items unless they are excluded outright. Resource filters need the cluster's
 * discovery to be resolved, which comes later: they leave every type in.
 */
export function spoolScope(filters: Pick<RestoreFilters, 'includeNamespaces' | 'excludeNamespaces' | 'includeClusterResources'>): SpoolScope {
  const namespaces = new NamespaceFilter(filters.includeNamespaces, filters.excludeNamespaces);
  return ({ resource, namespace, name, matchesSelector }) => {
    if (namespace !== undefined) return matchesSelector && namespaces.matches(namespace);
    if (resource === 'namespaces') return namespaces.matches(name);
    return filters.includeClusterResources !== false;
  };
}
