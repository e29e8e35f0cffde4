import type { BackupPhase, BackupRecord } from '../storage/backup-record.js';
import type { BackupResults } from './backup-results.js';

/** What `backup create` reports: the committed record, or for a dry run what would be taken. */
export interface BackupOutcome {
  name: string;
  phase: BackupPhase;
  dryRun: boolean;
  /** Where it was (or would be) written, for people. */
  location: string;
  startTimestamp: string;
  completionTimestamp: string;
  durationMs: number;
  totalItems: number;
  itemsByResource: Record<string, number>;
  results: BackupResults;
  warnings: number;
  errors: number;
  /** Undefined on dry runs. */
  record?: BackupRecord;
}
