import type { BackupObjectView } from './backup-object.js';

/**
 * A running backup writes its status at least every 30 seconds (BackupObjectSink); one silent
 * for this long was killed (SIGKILL, a node lost) and is taken for dead, as Velero marks the
 * backups it finds InProgress when it starts Failed.
 */
export const staleAfterMs = 5 * 60_000;

/**
 * When the process taking a New or InProgress backup last reported, if that is longer ago than
 * staleAfterMs: the run is dead. Undefined for a run still reporting and for ended backups.
 */
export function stoppedReportingAt(object: BackupObjectView, now: Date): string | undefined {
  const { phase } = object.status;
  if (phase !== 'New' && phase !== 'InProgress') return undefined;
  const last = object.status.lastUpdateTimestamp ?? object.status.startTimestamp ?? object.creationTimestamp;
  return last !== undefined && now.getTime() - Date.parse(last) > staleAfterMs ? last : undefined;
}
