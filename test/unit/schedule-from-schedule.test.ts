import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { ExitCode } from '../../src/errors.js';
import { KubeApiError } from '../../src/kube/api-error.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { buildCronJob } from '../../src/schedule/cronjob-manifest.js';
import { rejectTemplateFlags, scheduledBackup, templateFlags } from '../../src/schedule/from-schedule.js';
import type { BackupTemplate } from '../../src/schedule/backup-template.js';

/** An API server that knows one CronJob. */
class OneCronJob implements KubeClient {
  readonly server = 'https://test';
  constructor(private readonly cronJob: KubeObject) {}
  async json<T>(req: KubeRequest): Promise<T> {
    if (req.method === 'GET' && req.path === `/apis/batch/v1/namespaces/ns/cronjobs/${this.cronJob.metadata.name}`) return structuredClone(this.cronJob) as T;
    throw new KubeApiError(404, req.method, req.path, { reason: 'NotFound' });
  }
  stream(): Promise<Readable> {
    throw new Error('not used');
  }
}

const template: BackupTemplate = {
  includedNamespaces: ['app-*'], excludedNamespaces: ['app-test'], includedResources: ['deploy'], excludedResources: [],
  includeClusterResources: false, labelSelector: 'tier=db', orLabelSelectors: [], orderedResources: { pods: 'app-1/a,app-1/b' },
  ttl: '72h', storageLocation: 'primary', clientPageSize: 100, labels: { team: 'web' }, annotations: { owner: 'ops' }, useOwnerReferencesInBackup: true,
};

function cronJobWith(t: BackupTemplate | string): KubeObject {
  const cj = buildCronJob({ name: 'nightly', namespace: 'ns', schedule: '@daily', paused: false, image: 'i', template });
  cj.metadata.uid = 'uid-1';
  cj.metadata.annotations = { 'kubectl-backup.io/backup-template': typeof t === 'string' ? t : JSON.stringify(t) };
  return cj;
}

const badInput = (message: string | RegExp) => (err: Error & { exitCode?: number }) => {
  assert.equal(err.exitCode, ExitCode.BadInput, err.message);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return true;
};

describe('create --from-schedule', () => {
  it('takes everything from the template: name with the UTC start, filters, TTL, labels, location, owner', async () => {
    const backup = await scheduledBackup(new OneCronJob(cronJobWith(template)), 'ns', 'nightly', new Date('2025-03-30T01:02:03Z'));
    assert.equal(backup.name, 'nightly-20250330010203');
    assert.deepEqual(backup.filters, {
      includeNamespaces: ['app-*'], excludeNamespaces: ['app-test'], includeResources: ['deploy'], excludeResources: [],
      includeClusterResources: false, labelSelector: 'tier=db', orSelectors: [], orderedResources: { pods: ['app-1/a', 'app-1/b'] },
    });
    assert.equal(backup.ttlMs, 72 * 3_600_000);
    assert.equal(backup.pageSize, 100);
    assert.deepEqual(backup.labels, { team: 'web', 'kubectl-backup.io/schedule-name': 'nightly' });
    assert.deepEqual(backup.annotations, { owner: 'ops' });
    assert.equal(backup.storageLocation, 'primary');
    assert.deepEqual(backup.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'uid-1' }]);
    const unowned = await scheduledBackup(new OneCronJob(cronJobWith({ ...template, useOwnerReferencesInBackup: false })), 'ns', 'nightly', new Date());
    assert.deepEqual(unowned.ownerReferences, []);
  });

  it('checks a template edited by hand with the flags parsers, naming the schedule', async () => {
    const check = (t: BackupTemplate | string, message: string | RegExp) =>
      assert.rejects(scheduledBackup(new OneCronJob(cronJobWith(t)), 'ns', 'nightly', new Date()), badInput(message));
    await check({ ...template, ttl: 'forever' }, /^the template of schedule "nightly": --ttl: invalid duration "forever"/);
    await check({ ...template, includeClusterResources: null, labelSelector: 'a=b', orLabelSelectors: ['c=d', 'e=f'] }, /^the template of schedule "nightly": .*cannot be used together/);
    await check({ ...template, orderedResources: { pods: 'a//b' } }, /^the template of schedule "nightly": invalid --ordered-resources/);
    await check({ ...template, labels: { 'bad key': 'x' } }, /^the template of schedule "nightly": label bad key: /);
    await check('{"ttl":', /^schedule "nightly" has an invalid kubectl-backup.io\/backup-template annotation: it is not JSON/);
  });

  it('says when the schedule does not exist', async () => {
    await assert.rejects(scheduledBackup(new OneCronJob(cronJobWith(template)), 'ns', 'weekly', new Date()), badInput('schedule "weekly" not found in namespace ns; see: kubectl backup schedule get'));
  });

  it('refuses a NAME and every template flag given with it', () => {
    rejectTemplateFlags(['dry-run', 'output', 'kubeconfig', 'namespace'], undefined);
    assert.throws(() => rejectTemplateFlags([], 'mine'), badInput(/give no NAME/));
    for (const flag of templateFlags) {
      assert.throws(() => rejectTemplateFlags([flag], undefined), badInput(new RegExp(`--${flag} cannot be given with it`)));
    }
    assert.throws(() => rejectTemplateFlags(['ttl', 'selector'], undefined), badInput(/--selector, --ttl cannot be given with it/));
  });
});
