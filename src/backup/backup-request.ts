import type { OrderedResources } from './ordered-resources.js';

/**
 * Which objects a backup takes (cli.md, Filters). The same filters are taken by
 * `schedule create` and, with the same names, by `restore create`.
 */
export interface BackupFilters {
  /** Namespace globs; `['*']` for all. */
  includeNamespaces: string[];
  excludeNamespaces: string[];
  /** Resource names as the user wrote them (any name kubectl accepts); `['*']` for all. */
  includeResources: string[];
  excludeResources: string[];
  /** Unset: cluster-scoped resources only when every namespace is included. */
  includeClusterResources?: boolean;
  /** Sent to the API server as is. */
  labelSelector?: string;
  /** One LIST per selector; an item matching several is kept once. Never with `labelSelector`. */
  orSelectors: string[];
  orderedResources: OrderedResources;
}

export const defaultFilters: BackupFilters = {
  includeNamespaces: ['*'],
  excludeNamespaces: [],
  includeResources: ['*'],
  excludeResources: [],
  orSelectors: [],
  orderedResources: {},
};

export const defaultTtlMs = 720 * 3_600_000;
export const defaultPageSize = 500;

/** Everything `backup create` was asked, validated: engines never see raw flags. */
export interface BackupRequest {
  /** A DNS-1123 subdomain. */
  name: string;
  filters: BackupFilters;
  /** Expiry is start + ttl; 0 never expires. */
  ttlMs: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** `limit` of every LIST; 0 lists each resource in one unpaginated request. */
  pageSize: number;
  /** Count what would be backed up, write nothing. */
  dryRun: boolean;
}
