import type { BackupObjectView } from './backup-object.js';
import { recordedRun } from './backup-run.js';
import type { ProcessTable } from './process-table.js';

/**
 * A running backup writes its status at least every 30 seconds (BackupObjectSink); one silent
 * for this long was killed (SIGKILL, a node lost) and is taken for dead, as Velero marks the
 * backups it finds InProgress when it starts Failed.
 *
 * The time compared is the writer's clock against the reader's, which may be another
 * machine's: the margin over the heartbeat is what absorbs clock skew (and an API server
 * that does not answer the heartbeat for a while). A kill on the reader's own machine needs
 * no clock: runProcessGone sees it at once.
 */
export const staleAfterMs = 5 * 60_000;

/**
 * When the process taking a New or InProgress backup last reported, if that is longer ago than
 * staleAfterMs: the run is dead. Undefined for a run still reporting and for ended backups.
 */
export function stoppedReportingAt(object: BackupObjectView, now: Date): string | undefined {
  const { phase } = object.status;
  if (phase !== 'New' && phase !== 'InProgress') return undefined;
  const last = lastReportedAt(object);
  return last !== undefined && now.getTime() - Date.parse(last) > staleAfterMs ? last : undefined;
}

/**
 * True when the run that made the object is a process of this machine (and pid namespace)
 * that has ended: killed, as it did not get to write a final phase. A pid now held by a later
 * process is told apart by its start time where the machine gives one (Linux); elsewhere
 * such a pid looks alive, and the staleness rule decides, as for a run of another machine.
 */
export function runProcessGone(object: BackupObjectView, processes: ProcessTable): boolean {
  const run = recordedRun(object);
  if (run === undefined || run.space === undefined || run.space !== processes.space || run.host !== processes.host) return false;
  if (run.pid === processes.pid) return run.start !== undefined && processes.start !== undefined && run.start !== processes.start;
  const found = processes.probe(run.pid);
  if (found.state === 'gone') return true;
  return run.start !== undefined && found.start !== undefined && run.start !== found.start;
}

/** When the run taking a backup last said something: its last status write, else its start. */
export function lastReportedAt(object: BackupObjectView): string | undefined {
  return object.status.lastUpdateTimestamp ?? object.status.startTimestamp ?? object.creationTimestamp;
}
