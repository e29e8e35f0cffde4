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
 * tool namespace when the CRDs are installed. The engine calls it on every phase change and
 * on progress (an implementation throttles its own writes, in order); it awaits the final
 * phase only, so that the object's writes never hold the first LIST back. Its failures never
 * fail the backup: storage is the source of truth.
 */
export interface BackupStatusSink {
  /**
   * The run's first status (New), before anything is written to storage: makes the record and
   * claims the name for the run. Its failures do not fail the backup, but for one:
   * @throws BadInputError when the name's record is another run's (running, or a backup of
   *   another location)
   */
  begin(status: LiveBackupStatus): Promise<void>;
  update(status: LiveBackupStatus): void | Promise<void>;
}

export const noStatusSink: BackupStatusSink = { begin: async () => undefined, update: () => undefined };

/**
 * The sink of a lookup still under way (are the CRDs installed?): the backup starts meanwhile,
 * and each update waits for the lookup, in the order they were made.
 */
export function pendingStatusSink(sink: Promise<BackupStatusSink>): BackupStatusSink {
  return { begin: async (status) => (await sink).begin(status), update: async (status) => (await sink).update(status) };
}
