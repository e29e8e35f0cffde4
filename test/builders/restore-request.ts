import { defaultFilters } from '../../src/backup/backup-request.js';
import type { RestoreRequest } from '../../src/restore/restore-request.js';

/**
 * A restore request with the defaults of `restore create --from-backup NAME`: every item,
 * no mapping, existing objects left as they are. The name is random so that restores of one
 * test file never collide.
 */
export function restoreRequest(backupName: string, overrides: Partial<RestoreRequest> = {}): RestoreRequest {
  return {
    name: `r-${backupName}-${Math.random().toString(16).slice(2, 8)}`,
    backupName,
    filters: { ...defaultFilters },
    namespaceMappings: new Map(),
    existingResourcePolicy: 'none',
    preserveNodePorts: false,
    includeOwnedResources: false,
    dryRun: false,
    ...overrides,
  };
}
