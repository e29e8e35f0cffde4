import { isRecord, type KubeObject } from '../kube/types.js';

/**
 * Why a finished workload is not restored, looking at the item as backed up (its status is
 * stripped on the way in); undefined when it may be. Created again, a Job that completed or a
 * pod that ended would run once more: a one-off migration twice. Velero's rule (`isCompleted`):
 * pods in phase Succeeded or Failed, Jobs with a `status.completionTime`. A Job that failed has
 * no completion time and is restored, as with Velero.
 */
export function completedReason(resource: string, item: KubeObject): string | undefined {
  if (!isRecord(item.status)) return undefined;
  const { phase, completionTime } = item.status;
  if (resource === 'pods' && (phase === 'Succeeded' || phase === 'Failed')) return `it ended (phase ${phase}) and would run again`;
  if (resource === 'jobs.batch' && typeof completionTime === 'string' && completionTime !== '') return `it completed at ${completionTime} and would run again`;
  return undefined;
}
