/** A backup's phases while it runs (backup.md, Records and results). */
export type LivePhase = 'New' | 'InProgress' | 'Completed' | 'PartiallyFailed' | 'Failed';

export interface LiveBackupStatus {
  phase: LivePhase;
  startTimestamp?: string;
  completionTimestamp?: string;
  expiration?: string | null;
  /** Best estimate so far; grows while lists report their sizes. */
  totalItems: number;
  itemsBackedUp: number;
  warnings?: number;
  errors?: number;
  failureReason?: string;
}

/**
 * Where a running backup reports its status besides storage: the `Backup` object of the
 * tool namespace when the CRDs are installed. The engine calls it on every phase change
 * (awaited) and on progress (not awaited; an implementation throttles its own writes). Its
 * failures never fail the backup: storage is the source of truth.
 */
export interface BackupStatusSink {
  update(status: LiveBackupStatus): void | Promise<void>;
}

export const noStatusSink: BackupStatusSink = { update: () => undefined };
