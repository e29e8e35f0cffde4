import assert from 'node:assert/strict';
import { parseTemplate, serializeTemplate, type BackupTemplate } from '../../src/schedule/backup-template.js';
import { buildCronJob, type ScheduleSpec } from '../../src/schedule/cronjob-manifest.js';
import { maxScheduleNameLength, requireScheduleName, scheduledBackupName, scheduleNameProblem } from '../../src/schedule/schedule-name.js';
import { scheduleView } from '../../src/schedule/schedule-view.js';
import type { KubeObject } from '../../src/kube/types.js';

const sampleTemplate: BackupTemplate = {
  includedNamespaces: ['app-*'],
  excludedNamespaces: ['app-test'],
  includedResources: ['*'],
  excludedResources: ['events'],
  includeClusterResources: null,
  labelSelector: 'tier=db',
  orLabelSelectors: [],
  orderedResources: { pods: 'ns1/a,ns1/b' },
  ttl: '168h',
  storageLocation: 'primary',
  clientPageSize: 250,
  labels: { team: 'data' },
  annotations: { note: 'nightly' },
  useOwnerReferencesInBackup: true,
};

const spec: ScheduleSpec = {
  name: 'nightly',
  namespace: 'kubectl-backup',
  schedule: '0 2 * * *',
  timeZone: 'Europe/Paris',
  paused: false,
  image: 'ghcr.io/kubectl-backup/kubectl-backup:v0.1.0',
  template: sampleTemplate,
  credentialsSecret: 'primary-credentials',
};

describe('schedule CronJob', () => {
  it('is labelled, annotated with the template, and runs without overlap on the given schedule', () => {
    const cj = buildCronJob(spec) as KubeObject & { spec: Record<string, unknown> };
    assert.equal(cj.apiVersion, 'batch/v1');
    assert.equal(cj.kind, 'CronJob');
    assert.deepEqual(cj.metadata.labels, { 'app.kubernetes.io/managed-by': 'kubectl-backup', 'kubectl-backup.io/schedule-name': 'nightly' });
    assert.deepEqual(JSON.parse(cj.metadata.annotations!['kubectl-backup.io/backup-template']!), sampleTemplate);
    assert.equal(cj.spec.schedule, '0 2 * * *');
    assert.equal(cj.spec.timeZone, 'Europe/Paris');
    assert.equal(cj.spec.suspend, false);
    assert.equal(cj.spec.concurrencyPolicy, 'Forbid');
    assert.equal(cj.spec.successfulJobsHistoryLimit, 1);
    assert.equal(cj.spec.failedJobsHistoryLimit, 3);
    assert.equal(buildCronJob({ ...spec, paused: true }).spec !== undefined && (buildCronJob({ ...spec, paused: true }).spec as { suspend: boolean }).suspend, true);
    const { timeZone: _tz, ...noZone } = spec;
    assert.ok(!('timeZone' in (buildCronJob(noZone).spec as object)));
  });

  it('runs the runner non-root, read-only, without capabilities, with a writable /tmp', () => {
    const pod = (buildCronJob(spec).spec as { jobTemplate: { spec: { template: { metadata: unknown; spec: Record<string, unknown> } } } }).jobTemplate.spec.template;
    assert.deepEqual(pod.metadata, { labels: { 'app.kubernetes.io/managed-by': 'kubectl-backup', 'kubectl-backup.io/schedule-name': 'nightly' } });
    assert.equal(pod.spec.serviceAccountName, 'kubectl-backup-runner');
    assert.equal(pod.spec.restartPolicy, 'Never');
    assert.deepEqual(pod.spec.securityContext, { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: 'RuntimeDefault' } });
    const [container] = pod.spec.containers as Record<string, unknown>[];
    assert.equal(container!.image, spec.image);
    assert.deepEqual(container!.args, ['create', '--from-schedule', 'nightly']);
    assert.deepEqual(container!.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    assert.deepEqual(container!.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }]);
    assert.deepEqual(pod.spec.volumes, [{ name: 'tmp', emptyDir: {} }]);
  });

  it('passes the namespace and the credentials only as environment from the Secret', () => {
    const cj = buildCronJob(spec);
    const container = (cj.spec as { jobTemplate: { spec: { template: { spec: { containers: { env: unknown[]; args: string[] }[] } } } } }).jobTemplate.spec.template.spec.containers[0]!;
    assert.deepEqual(container.env, [
      { name: 'KUBECTL_BACKUP_NAMESPACE', value: 'kubectl-backup' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'primary-credentials', key: 'AWS_ACCESS_KEY_ID' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'primary-credentials', key: 'AWS_SECRET_ACCESS_KEY' } } },
      { name: 'AWS_SESSION_TOKEN', valueFrom: { secretKeyRef: { name: 'primary-credentials', key: 'AWS_SESSION_TOKEN', optional: true } } },
    ]);
    assert.ok(container.args.every((a) => !/AWS|secret/i.test(a)));
    const { credentialsSecret: _s, ...noSecret } = spec;
    const plain = (buildCronJob(noSecret).spec as typeof cj.spec & { jobTemplate: { spec: { template: { spec: { containers: { env: unknown[] }[] } } } } }).jobTemplate.spec.template.spec.containers[0]!;
    assert.deepEqual(plain.env, [{ name: 'KUBECTL_BACKUP_NAMESPACE', value: 'kubectl-backup' }]);
  });

  it('does not retry runs that ended with bad input (2) or partially failed (3)', () => {
    const job = (buildCronJob(spec).spec as { jobTemplate: { spec: Record<string, unknown> } }).jobTemplate.spec;
    assert.equal(job.backoffLimit, 2);
    assert.deepEqual(job.podFailurePolicy, { rules: [{ action: 'FailJob', onExitCodes: { containerName: 'backup', operator: 'In', values: [2, 3] } }] });
  });
});

describe('schedule template', () => {
  it('reads back what was written', () => {
    assert.deepEqual(parseTemplate(serializeTemplate(sampleTemplate), 'nightly'), sampleTemplate);
  });

  it('fills defaults for fields left out', () => {
    const parsed = parseTemplate(JSON.stringify({ ttl: '720h', storageLocation: 'default' }), 'x');
    assert.deepEqual(parsed, {
      includedNamespaces: [], excludedNamespaces: [], includedResources: [], excludedResources: [], includeClusterResources: null,
      labelSelector: null, orLabelSelectors: [], orderedResources: {}, ttl: '720h', storageLocation: 'default', clientPageSize: 500,
      labels: {}, annotations: {}, useOwnerReferencesInBackup: false,
    });
  });

  it('names the schedule and the field of an annotation edited into something invalid', () => {
    const bad = (text: string | undefined, why: string) =>
      assert.throws(() => parseTemplate(text, 'nightly'), { message: `schedule "nightly" has an invalid kubectl-backup.io/backup-template annotation: ${why}; recreate it with kubectl backup schedule create` });
    bad(undefined, 'it is missing');
    bad('{', 'it is not JSON');
    bad('[]', 'it is not a JSON object');
    bad(JSON.stringify({ ...sampleTemplate, includedNamespaces: 'a' }), 'includedNamespaces must be a list of strings');
    bad(JSON.stringify({ ...sampleTemplate, labels: { a: 1 } }), 'labels must be a map of strings');
    bad(JSON.stringify({ ...sampleTemplate, includeClusterResources: 'yes' }), 'includeClusterResources must be a boolean or null');
    bad(JSON.stringify({ ...sampleTemplate, ttl: '' }), 'ttl must be a non-empty string');
    bad(JSON.stringify({ ...sampleTemplate, storageLocation: 5 }), 'storageLocation must be a non-empty string');
    bad(JSON.stringify({ ...sampleTemplate, clientPageSize: -1 }), 'clientPageSize must be a whole number, 0 or more');
    bad(JSON.stringify({ ...sampleTemplate, useOwnerReferencesInBackup: 'true' }), 'useOwnerReferencesInBackup must be true or false');
  });
});

describe('schedule names', () => {
  it('are DNS-1123 labels short enough for NAME-YYYYMMDDhhmmss to stay within 63 characters', () => {
    assert.equal(maxScheduleNameLength, 48);
    assert.equal(scheduleNameProblem('a'.repeat(48)), undefined);
    assert.equal(scheduledBackupName('a'.repeat(48), new Date()).length, 63);
    assert.match(scheduleNameProblem('a'.repeat(49))!, /49 characters long; at most 48/);
    assert.equal(requireScheduleName('nightly-db'), 'nightly-db');
    for (const bad of ['Nightly', 'night_ly', '-a', 'a-', 'a.b', '']) {
      assert.throws(() => requireScheduleName(bad), new RegExp(`invalid schedule name "${bad.replace('.', '\\.')}": `));
    }
  });

  it('names backups NAME-YYYYMMDDhhmmss in UTC', () => {
    assert.equal(scheduledBackupName('nightly', new Date('2025-03-30T01:02:03.456Z')), 'nightly-20250330010203');
  });
});

describe('schedule view', () => {
  const now = new Date('2025-04-01T12:00:00Z');
  const cronJob = (over: Record<string, unknown> = {}): KubeObject => ({
    ...buildCronJob(spec),
    status: { lastScheduleTime: '2025-03-29T01:00:00Z', lastSuccessfulTime: '2025-03-29T01:00:40Z' },
    ...over,
  });

  it('shows cron, time zone, last and next runs in the schedule time zone, the image and the template', () => {
    const view = scheduleView(cronJob(), now, 2);
    assert.equal(view.name, 'nightly');
    assert.equal(view.schedule, '0 2 * * *');
    assert.equal(view.timeZone, 'Europe/Paris');
    assert.equal(view.paused, false);
    assert.equal(view.lastSchedule, '2025-03-29T01:00:00Z');
    assert.deepEqual(view.nextRuns, ['2025-04-02T00:00:00.000Z', '2025-04-03T00:00:00.000Z'], '02:00 in Paris is 00:00 UTC in summer');
    assert.equal(view.image, spec.image);
    assert.deepEqual(view.template, sampleTemplate);
  });

  it('has no next run while paused', () => {
    const paused = buildCronJob({ ...spec, paused: true });
    assert.deepEqual(scheduleView(paused, now).nextRuns, []);
    assert.equal(scheduleView(paused, now).paused, true);
  });

  it('still shows a schedule whose annotation was broken by hand, saying why', () => {
    const cj = cronJob();
    cj.metadata.annotations = { 'kubectl-backup.io/backup-template': 'nope' };
    const view = scheduleView(cj, now);
    assert.equal(view.template, undefined);
    assert.match(view.templateProblem!, /it is not JSON/);
  });
});
