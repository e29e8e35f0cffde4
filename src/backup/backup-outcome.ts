import type { BackupPhase, BackupRecord } from '../storage/backup-record.js';
import type { ResultsFile } from '../storage/results-file.js';

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
  results: ResultsFile;
  warnings: number;
  errors: number;
  /** Undefined on dry runs. */
  record?: BackupRecord;
}
