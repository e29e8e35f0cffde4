/**
 * The restore filters (cli.md: the backup's filter flags, same names and meaning), applied to
 * the items of the archive rather than to a cluster.
 */
export interface RestoreFilters {
  /** Namespace globs; `['*']` for all. */
  includeNamespaces: string[];
  excludeNamespaces: string[];
  /** Resource names as the user wrote them; `['*']` for all. */
  includeResources: string[];
  excludeResources: string[];
  /** Unset: cluster-scoped resources only when every namespace is included. */
  includeClusterResources?: boolean;
  labelSelector?: string;
  /** Items matching any of these selectors. */
  orSelectors: string[];
  /** `--ordered-resources` given to the restore; the backup's order when empty. */
  orderedResources: Record<string, string[]>;
}

export const allItems: RestoreFilters = {
  includeNamespaces: ['*'],
  excludeNamespaces: [],
  includeResources: ['*'],
  excludeResources: [],
  orSelectors: [],
  orderedResources: {},
};
