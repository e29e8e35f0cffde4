import type { BackupFilters } from '../backup/backup-request.js';

/**
 * The restore filters (cli.md: the backup's filter flags, same names, meaning and parser),
 * applied to the items of the archive rather than to a cluster: label selectors are evaluated
 * here (label-selector.ts), not by an API server.
 */
export type RestoreFilters = BackupFilters;
