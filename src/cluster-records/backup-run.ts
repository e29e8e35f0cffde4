import { randomUUID } from 'node:crypto';
import { apiGroup, runIdAnnotation } from '../install/api-group.js';
import type { BackupObjectView } from './backup-object.js';
import type { ProcessTable } from './process-table.js';

/**
 * The run of `create` that made a `Backup` object, recorded in the object's annotations: its
 * id tells the run its own object from another's (a POST retried after its answer was lost
 * finds the object it made), and where it runs lets a later run on the same machine see that
 * the process is gone (killed) without waiting for the object to go stale.
 */
export interface BackupRun {
  /** Random, one per run. */
  readonly id: string;
  readonly host: string;
  /** ProcessTable.space: where the pid means this process. */
  readonly space?: string;
  readonly pid: number;
  readonly start?: string;
}

export const runHostAnnotation = `${apiGroup}/run-host`;
export const runPidAnnotation = `${apiGroup}/run-pid`;
export const runPidSpaceAnnotation = `${apiGroup}/run-pid-space`;
export const runProcessStartAnnotation = `${apiGroup}/run-process-start`;

/** A new run, in the process the table describes. */
export function newBackupRun(processes: ProcessTable): BackupRun {
  return {
    id: randomUUID(),
    host: processes.host,
    pid: processes.pid,
    ...(processes.space !== undefined ? { space: processes.space } : {}),
    ...(processes.start !== undefined ? { start: processes.start } : {}),
  };
}

export function runAnnotations(run: BackupRun): Record<string, string> {
  return {
    [runIdAnnotation]: run.id,
    [runHostAnnotation]: run.host,
    [runPidAnnotation]: String(run.pid),
    ...(run.space !== undefined ? { [runPidSpaceAnnotation]: run.space } : {}),
    ...(run.start !== undefined ? { [runProcessStartAnnotation]: run.start } : {}),
  };
}

/**
 * The run recorded in an object, as far as it can be looked up: anyone who may edit the tool
 * namespace may edit the annotations, so a pid that is no positive integer counts as none.
 */
export function recordedRun(object: BackupObjectView): Omit<BackupRun, 'id'> | undefined {
  const { annotations } = object;
  const host = annotations[runHostAnnotation];
  const pid = Number(annotations[runPidAnnotation]);
  if (host === undefined || !Number.isInteger(pid) || pid < 1 || pid > 0x7fffffff) return undefined;
  const space = annotations[runPidSpaceAnnotation];
  const start = annotations[runProcessStartAnnotation];
  return { host, pid, ...(space !== undefined ? { space } : {}), ...(start !== undefined ? { start } : {}) };
}
