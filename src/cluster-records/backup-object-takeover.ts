import type { BackupObjectView } from './backup-object.js';
import { lastReportedAt, staleAfterMs, stoppedReportingAt } from './backup-object-liveness.js';
import { recordedRun } from './backup-run.js';

/**
 * Why a new run of a backup may not replace the `Backup` object already under its name, or
 * undefined when it may. Objects are one per name in the tool namespace, whatever the location:
 * - a run still reporting (New, InProgress) keeps it: replacing it would cut that run off
 *   from its own object;
 * - a dead run's object (Failed, silent past staleAfterMs, or `runGone`: its process is seen
 *   ended on this machine) is replaced: it holds no data;
 * - an ended backup's object (Completed, PartiallyFailed) is replaced only for the same
 *   location, where its record is gone (a name with a record is refused before this); one of
 *   another location mirrors a backup that exists there.
 */
export function takeoverRefusal(existing: BackupObjectView, storageLocation: string | undefined, namespace: string, now: Date, runGone = false): string | undefined {
  const { name } = existing;
  const { phase } = existing.status;
  if (phase === 'New' || phase === 'InProgress') {
    if (runGone || stoppedReportingAt(existing, now) !== undefined) return undefined;
    const last = lastReportedAt(existing);
    const run = recordedRun(existing);
    const details = [phase, ...(last ? [`last reported at ${last}`] : []), ...(existing.storageLocation ? [`to ${existing.storageLocation}`] : []), ...(run ? [`by pid ${run.pid} on ${run.host}`] : [])];
    const running = `backup "${name}" is already running (${details.join(', ')})`;
    const killed = `a run that was killed frees the name at once for a run on its machine, for others once silent for ${staleAfterMs / 60_000} minutes, or at once with: kubectl delete backup ${name} -n ${namespace}`;
    return `${running}; wait for it to end (see: kubectl backup describe ${name}), or give this backup another name (${killed})`;
  }
  if (phase === 'Failed') return undefined;
  if (existing.storageLocation !== undefined && existing.storageLocation === storageLocation) return undefined;
  const where = existing.storageLocation ? `storage location ${existing.storageLocation}` : 'another storage location';
  return `backup "${name}" exists in ${where} (its Backup object is ${phase}); backup names are shared by every location of the cluster: give this backup another name`;
}
