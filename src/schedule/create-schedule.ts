import { parseNonNegativeDuration } from '../cli/go-duration.js';
import { BadInputError } from '../errors.js';
import { isAlreadyExists, KubeApiError } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import { runnerServiceAccount, settingsConfigMap, settingsImageKey } from '../install/api-group.js';
import { releasedImage } from '../install/image.js';
import { requireOwnCrds, runnerInstalled } from '../install/installed.js';
import { secretExists } from '../location/credentials-secret.js';
import { LocationClient } from '../location/location-client.js';
import type { StorageLocation } from '../location/storage-location.js';
import type { BackupTemplate } from './backup-template.js';
import { buildCronJob } from './cronjob-manifest.js';
import { ScheduleClient } from './schedule-client.js';
import { getIfExists } from '../kube/get-if-exists.js';

export interface CreateScheduleRequest {
  name: string;
  namespace: string;
  /** Checked with parseCron and requireRuns. */
  schedule: string;
  timeZone?: string;
  paused: boolean;
  /** `--image`; else the install's image; else the released image of this version. */
  image?: string;
  /** `--storage-location`; else the default location at the time of creation. */
  storageLocation?: string;
  /** Labels of the CronJob besides ours, so that `-l` finds the schedule. */
  labels?: Record<string, string>;
  template: Omit<BackupTemplate, 'storageLocation'>;
}

export interface CreatedSchedule {
  cronJob: KubeObject;
  location: StorageLocation;
  image: string;
  warnings: string[];
}

/**
 * Creates the schedule's CronJob once everything it needs is known to exist: the install (the
 * runner ServiceAccount), the location (pinned by name into the template, so that its
 * credentials Secret, wired into the pod now, stays the right one) and that Secret.
 */
export async function createSchedule(client: KubeClient, request: CreateScheduleRequest): Promise<CreatedSchedule> {
  await requireOwnCrds(client, 'schedule create');
  // Without it the Job controller cannot create a single pod, and no backup is ever taken.
  if ((await runnerInstalled(client, request.namespace)) === false) {
    throw new BadInputError(
      `schedule create needs kubectl-backup installed in namespace ${request.namespace}: its pods run as the ServiceAccount ${runnerServiceAccount}, which is not there; run kubectl backup install -n ${request.namespace}`,
    );
  }
  const locations = new LocationClient(client, request.namespace);
  const location = request.storageLocation !== undefined ? await locations.require(request.storageLocation) : await locations.defaultLocation();
  if (!location) {
    throw new BadInputError(
      'schedule create needs a storage location the cluster can reach: pass --storage-location NAME, or mark one as default (kubectl backup location create NAME --url URL --default)',
    );
  }
  if (location.accessMode === 'ReadOnly') {
    throw new BadInputError(`storage location "${location.name}" is ReadOnly: backups cannot be written to it; see: kubectl backup location set ${location.name} --access-mode ReadWrite`);
  }
  // Each run would refuse it (a backup that never expires cannot be locked until it expires):
  // said now, not by every run of the CronJob.
  if (location.objectLock && parseNonNegativeDuration('ttl', request.template.ttl) === 0) {
    throw new BadInputError(`storage location "${location.name}" puts backups under object lock until they expire; a backup with --ttl 0 never expires: give a --ttl`);
  }
  const secret = location.credentialsSecret;
  // Undefined when we may not read Secrets: then the pod says so if it is missing.
  if (secret !== undefined && (await secretExists(client, request.namespace, secret)) === false) {
    throw new BadInputError(`Secret "${secret}" of storage location "${location.name}" not found in namespace ${request.namespace}: the schedule's pods could not start`);
  }
  const warnings: string[] = [];
  if (location.url.startsWith('file:')) {
    warnings.push(`storage location "${location.name}" is a directory (${location.url}): the CronJob's pod can only write there if a volume is mounted at that path`);
  }
  const image = request.image ?? (await installedImage(client, request.namespace)) ?? releasedImage();
  const cronJob = buildCronJob({
    name: request.name,
    namespace: request.namespace,
    schedule: request.schedule,
    ...(request.timeZone !== undefined ? { timeZone: request.timeZone } : {}),
    paused: request.paused,
    image,
    template: { ...request.template, storageLocation: location.name },
    ...(location.credentialsSecret !== undefined ? { credentialsSecret: location.credentialsSecret } : {}),
  });
  cronJob.metadata.labels = { ...request.labels, ...cronJob.metadata.labels };
  let created: KubeObject;
  try {
    created = await new ScheduleClient(client, request.namespace).create(cronJob);
  } catch (err) {
    if (isAlreadyExists(err)) throw new BadInputError(`schedule "${request.name}" already exists in namespace ${request.namespace}; delete it first (kubectl backup schedule delete ${request.name}) or choose another name`);
    if (err instanceof KubeApiError && err.code === 422) throw new BadInputError(`the API server refused the schedule's CronJob: ${err.status?.message ?? err.message}`, { cause: err });
    throw err;
  }
  return { cronJob: created, location, image, warnings };
}

/** The image `install --image` recorded, if any. */
export async function installedImage(client: KubeClient, namespace: string): Promise<string | undefined> {
  const cm = await getIfExists<{ data?: Record<string, string> }>(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${settingsConfigMap}`);
  return cm?.data?.[settingsImageKey] || undefined;
}
