import type { BackupRequest } from '../backup/backup-request.js';
import { parseFilterFlags } from '../cli/filter-flags.js';
import { parseNonNegativeDuration } from '../cli/go-duration.js';
import { labelValueProblem, qualifiedNameProblem } from '../cli/key-value-flag.js';
import { BadInputError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import type { OwnerReference } from '../kube/types.js';
import { scheduleNameLabel } from '../install/api-group.js';
import { parseTemplate, templateAnnotation } from './backup-template.js';
import { ScheduleClient } from './schedule-client.js';
import { scheduledBackupName } from './schedule-name.js';
import { templateAsFlags } from './template-filters.js';

/**
 * Flags that say what a backup takes or where it goes: with `--from-schedule` the schedule's
 * template says all of it (its single source), so any of them is an error.
 */
export const templateFlags = [
  'include-namespaces',
  'exclude-namespaces',
  'include-resources',
  'exclude-resources',
  'include-cluster-resources',
  'selector',
  'or-selector',
  'ordered-resources',
  'client-page-size',
  'ttl',
  'labels',
  'annotations',
  'storage-location',
  'storage',
] as const;

/** Refuses a backup name or template flag given with `--from-schedule`, before anything is read. */
export function rejectTemplateFlags(givenFlags: readonly string[], name: string | undefined): void {
  if (name !== undefined) {
    throw new BadInputError('a backup taken with --from-schedule is named by its schedule (SCHEDULE-YYYYMMDDhhmmss): give no NAME');
  }
  const clashing = templateFlags.filter((f) => givenFlags.includes(f));
  if (clashing.length > 0) {
    throw new BadInputError(
      `--from-schedule takes its filters, TTL, labels and location from the schedule; ${clashing.map((f) => `--${f}`).join(', ')} cannot be given with it ` +
        '(change the schedule with kubectl backup schedule delete and create)',
    );
  }
}

/**
 * Everything a backup of a schedule is made with, read from its CronJob and checked: the
 * request `create` would build from its flags (named SCHEDULE-YYYYMMDDhhmmss from the UTC
 * start, labelled with the schedule), and where it goes.
 */
export interface ScheduledBackup extends Omit<BackupRequest, 'dryRun'> {
  /** The location's name, pinned in the template. */
  storageLocation: string;
  /** To the CronJob, when the schedule asks its backups to be owned by it. */
  ownerReferences: OwnerReference[];
}

/**
 * `kubectl backup create --from-schedule NAME`: the template comes from the CronJob's
 * annotation, checked by the same parsers as the flags of `create`, because anyone who may
 * edit the CronJob may edit it.
 */
export async function scheduledBackup(client: KubeClient, namespace: string, schedule: string, start: Date): Promise<ScheduledBackup> {
  const cronJob = await new ScheduleClient(client, namespace).require(schedule);
  const template = parseTemplate(cronJob.metadata.annotations?.[templateAnnotation], schedule);
  const where = `the template of schedule "${schedule}"`;
  const filters = withContext(where, () => parseFilterFlags(templateAsFlags(template)));
  const ttlMs = withContext(where, () => parseNonNegativeDuration('ttl', template.ttl));
  for (const [key, value] of Object.entries(template.labels)) {
    const problem = qualifiedNameProblem(key) ?? labelValueProblem(value);
    if (problem) throw new BadInputError(`${where}: label ${key}: ${problem}`);
  }
  for (const key of Object.keys(template.annotations)) {
    const problem = qualifiedNameProblem(key);
    if (problem) throw new BadInputError(`${where}: annotation ${key}: ${problem}`);
  }
  const uid = cronJob.metadata.uid;
  return {
    name: scheduledBackupName(schedule, start),
    filters,
    ttlMs,
    pageSize: template.clientPageSize,
    labels: { ...template.labels, [scheduleNameLabel]: schedule },
    annotations: { ...template.annotations },
    storageLocation: template.storageLocation,
    // No blockOwnerDeletion: the runner needs no permission on the CronJob's finalizers.
    ownerReferences: template.useOwnerReferencesInBackup && uid ? [{ apiVersion: 'batch/v1', kind: 'CronJob', name: schedule, uid }] : [],
  };
}

function withContext<T>(where: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof BadInputError) throw new BadInputError(`${where}: ${err.message}`, { cause: err });
    throw err;
  }
}
