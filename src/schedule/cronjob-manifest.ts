import type { KubeObject } from '../kube/types.js';
import { managedByLabel, managedByValue, runnerServiceAccount, scheduleNameLabel } from '../install/api-group.js';
import { serializeTemplate, templateAnnotation, type BackupTemplate } from './backup-template.js';

export interface ScheduleSpec {
  name: string;
  namespace: string;
  /** As given: already checked (cron.ts). */
  schedule: string;
  timeZone?: string;
  paused: boolean;
  image: string;
  template: BackupTemplate;
  /** The location's Secret, passed to the pod as environment. */
  credentialsSecret?: string;
}

/** The keys a location's Secret holds (storage.md), and whether a pod can start without each. */
export const credentialKeys: readonly { key: string; optional: boolean }[] = [
  { key: 'AWS_ACCESS_KEY_ID', optional: false },
  { key: 'AWS_SECRET_ACCESS_KEY', optional: false },
  { key: 'AWS_SESSION_TOKEN', optional: true },
];

/** The pod's environment entries that read the location's credentials from `secret`; none without one. */
export function credentialEnv(secret: string | undefined): Record<string, unknown>[] {
  if (secret === undefined) return [];
  return credentialKeys.map(({ key, optional }) => ({ name: key, valueFrom: { secretKeyRef: { name: secret, key, ...(optional ? { optional: true } : {}) } } }));
}

/** The non-root user of the image (distroless "nonroot"). */
export const runnerUid = 65532;

export const containerName = 'backup';

export function scheduleLabels(name: string): Record<string, string> {
  return { [managedByLabel]: managedByValue, [scheduleNameLabel]: name };
}

/** How late a run may start; the CronJob controller checks every 10 s, far below. */
export const startingDeadlineSeconds = 300;

/** How long a run may take in all, retries included: hours beyond a backup of millions of objects. */
export const runDeadlineSeconds = 6 * 3600;

/**
 * The CronJob of a schedule (schedules.md). Runs never overlap (Forbid); a run that ends with
 * exit code 2 (bad template) or 3 (partially failed, recorded) is not retried, since a retry
 * cannot do better; other failures are retried twice. Credentials reach the pod only through
 * `secretKeyRef`: the CronJob never holds them.
 */
export function buildCronJob(spec: ScheduleSpec): KubeObject {
  const labels = scheduleLabels(spec.name);
  const env: Record<string, unknown>[] = [{ name: 'KUBECTL_BACKUP_NAMESPACE', value: spec.namespace }, ...credentialEnv(spec.credentialsSecret)];
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: {
      name: spec.name,
      namespace: spec.namespace,
      labels,
      annotations: { [templateAnnotation]: serializeTemplate(spec.template) },
    },
    spec: {
      schedule: spec.schedule,
      ...(spec.timeZone !== undefined ? { timeZone: spec.timeZone } : {}),
      suspend: spec.paused,
      // A run later than this is skipped, not made up for: unpausing (or a controller that was
      // down) would otherwise start the last missed run at once, where schedules.md says the
      // next backup comes at the next time CRON gives.
      startingDeadlineSeconds,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 3,
      jobTemplate: {
        metadata: { labels },
        spec: {
          // With Forbid, a run that never ends (a pod that cannot start, a stalled upload)
          // would stop every later one: it is ended, and the next runs on time.
          activeDeadlineSeconds: runDeadlineSeconds,
          backoffLimit: 2,
          podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { containerName, operator: 'In', values: [2, 3] } }] },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: runnerServiceAccount,
              restartPolicy: 'Never',
              securityContext: {
                runAsNonRoot: true,
                runAsUser: runnerUid,
                runAsGroup: runnerUid,
                seccompProfile: { type: 'RuntimeDefault' },
              },
              containers: [
                {
                  name: containerName,
                  image: spec.image,
                  imagePullPolicy: 'IfNotPresent',
                  args: ['create', '--from-schedule', spec.name],
                  env,
                  resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    readOnlyRootFilesystem: true,
                    runAsNonRoot: true,
                    capabilities: { drop: ['ALL'] },
                  },
                  volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
                },
              ],
              volumes: [{ name: 'tmp', emptyDir: {} }],
            },
          },
        },
      },
    },
  };
}
