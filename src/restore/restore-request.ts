import type { ExistingResourcePolicy } from '../storage/restore-record.js';
import type { NamespaceMappings } from './namespace-mappings.js';
import type { RestoreFilters } from './restore-filters.js';

/** Everything `restore create` was asked, validated: the engine never sees raw flags. */
export interface RestoreRequest {
  /** A DNS-1123 subdomain. */
  name: string;
  backupName: string;
  /** Set when the backup was chosen with --from-schedule. */
  scheduleName?: string;
  filters: RestoreFilters;
  namespaceMappings: NamespaceMappings;
  existingResourcePolicy: ExistingResourcePolicy;
  preserveNodePorts: boolean;
  includeOwnedResources: boolean;
  /** Print the plan, change nothing. */
  dryRun: boolean;
}
