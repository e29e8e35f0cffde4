import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { installManifests } from '../../src/install/manifests.js';
import { createSchedule } from '../../src/schedule/create-schedule.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { crd, customResource } from '../builders/backup-objects.js';
import { storeBackup } from '../builders/stored-backup.js';
import { executablePath, startE2e, type E2e, type RunResult } from '../helpers/plugin.js';
import { allowed, type PolicyRule } from '../helpers/rbac-check.js';
import { runProcess } from '../helpers/run-process.js';
import type { S3TestServer } from '../s3/s3-test-server.js';
import { installWithPrimaryLocation } from '../integration/schedule-primary-location.js';

const ns = 'kubectl-backup';
let e2e: E2e & { s3: S3TestServer };
let client: KubeClient;
let store: ObjectStore;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } };
}
interface Container {
  args: string[];
  env: EnvVar[];
}

/** What the kubelet does with a container's env: values as given, secretKeyRef read from the Secret. */
async function podEnvironment(env: EnvVar[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of env) {
    if (v.value !== undefined) out[v.name] = v.value;
    const ref = v.valueFrom?.secretKeyRef;
    if (!ref) continue;
    const secret = await client.json<{ data?: Record<string, string> }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/secrets/${ref.name}` });
    const data = secret.data?.[ref.key];
    if (data !== undefined) out[v.name] = Buffer.from(data, 'base64').toString('utf8');
    else assert.ok(ref.optional, `the pod would not start: ${ref.name}/${ref.key} is missing`);
  }
  return out;
}

/**
 * Runs the executable as the CronJob's pod does: exactly its args and environment, a pod's
 * variables, no home directory and no AWS configuration of the machine, and a kubeconfig that
 * stands in for the runner ServiceAccount's token.
 */
function runAsPod(container: Container, env: Record<string, string>): Promise<RunResult> {
  const home = mkdtempSync(join(e2e.home, 'pod-home-'));
  const podEnv: NodeJS.ProcessEnv = {
    PATH: '/usr/bin:/bin',
    HOME: home,
    KUBERNETES_SERVICE_HOST: '127.0.0.1',
    KUBERNETES_SERVICE_PORT: String(e2e.api.port),
    KUBECONFIG: e2e.api.kubeconfigPath,
    AWS_CONFIG_FILE: join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...env,
  };
  return runProcess(executablePath, container.args, { env: podEnv, timeoutMs: 60_000 });
}

describe('e2e: the scheduled run, as the CronJob runs it', () => {
  before(async () => {
    e2e = await startE2e({ api: { tls: true }, s3: { writeOnce: true } });
    ({ client } = await connectCluster({ kubeconfig: e2e.api.kubeconfigPath }));
    store = await installWithPrimaryLocation(client, ns, e2e.s3, 'scheduled', 's3-credentials');
    await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } } });
    for (let i = 0; i < 5; i++) {
      await client.json({ method: 'POST', path: '/api/v1/namespaces/shop/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}` }, data: { i: String(i) } } });
    }
    // A custom resource: the run reads its CRD by name.
    await e2e.api.seed([crd('widgets', 'Widget'), crd('gadgets', 'Gadget')]);
    await e2e.api.seed([customResource('Widget', 'w1', 'shop')]);
  });
  after(() => e2e?.close());

  it('takes the backup NAME-YYYYMMDDhhmmss with the template and the schedule label, owned by the CronJob, then deletes expired backups', async () => {
    const { cronJob } = await createSchedule(client, {
      name: 'nightly', namespace: ns, schedule: '0 2 * * *', paused: false,
      template: {
        includedNamespaces: ['shop'], excludedNamespaces: [], includedResources: ['*'], excludedResources: [], includeClusterResources: null,
        labelSelector: null, orLabelSelectors: [], orderedResources: { configmaps: 'shop/cm-3,shop/cm-1', widgets: 'shop/w1' }, ttl: '24h', clientPageSize: 2, labels: { team: 'shop' }, annotations: {},
        useOwnerReferencesInBackup: true,
      },
    });
    await storeBackup(store, 'nightly-20200101020000', { labels: { 'kubectl-backup.io/schedule-name': 'nightly' }, expiration: new Date(Date.now() - 3_600_000) });

    const stored = await client.json<KubeObject & { spec: { jobTemplate: { spec: { template: { spec: { containers: Container[] } } } } } }>({
      method: 'GET',
      path: `/apis/batch/v1/namespaces/${ns}/cronjobs/nightly`,
    });
    const [container] = stored.spec.jobTemplate.spec.template.spec.containers;
    assert.deepEqual(container!.args, ['create', '--from-schedule', 'nightly']);
    const before = new Date();
    const podEnv = await podEnvironment(container!.env);
    e2e.api.requestLog.clear();
    const result = await runAsPod(container!, podEnv);
    assert.equal(result.code, 0, result.stderr);
    for (const line of result.stderr.trim().split('\n').filter(Boolean)) JSON.parse(line); // json log lines in a pod
    assert.ok(!result.stderr.includes(e2e.s3.env.AWS_SECRET_ACCESS_KEY), 'credentials never logged');

    const names = await new BackupRepository(store).names();
    const taken = names.filter((n) => n !== 'nightly-20200101020000');
    assert.equal(taken.length, 1, names.join(', '));
    const [name] = taken;
    assert.match(name!, /^nightly-\d{14}$/);
    const stamp = name!.slice('nightly-'.length);
    const started = new Date(`${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}Z`);
    assert.ok(Math.abs(started.getTime() - before.getTime()) < 60_000, 'UTC time of the start');
    const record = await new BackupRepository(store).require(name!);
    assert.equal(record.status.phase, 'Completed');
    assert.equal(record.metadata.labels['kubectl-backup.io/schedule-name'], 'nightly');
    assert.equal(record.metadata.labels.team, 'shop');
    assert.equal(record.spec.storageLocation, 'primary');
    assert.deepEqual(record.spec.includedNamespaces, ['shop']);
    assert.equal(record.spec.clientPageSize, 2);
    assert.ok(record.status.itemsByResource.configmaps !== undefined && record.status.itemsByResource.configmaps >= 5);
    assert.equal(record.status.itemsByResource['widgets.example.com'], 1);
    assert.equal(record.status.itemsByResource['customresourcedefinitions.apiextensions.k8s.io'], 1, 'the CRD of the custom resource taken, and only it');
    assert.equal(record.status.warnings ?? 0, 0, 'every ordered item found');

    const object = await client.json<KubeObject & { status?: { phase?: string } }>({ method: 'GET', path: ownResourcePath('backups', ns, name) });
    assert.deepEqual(object.metadata.ownerReferences?.map((r) => [r.apiVersion, r.kind, r.name, r.uid]), [['batch/v1', 'CronJob', 'nightly', cronJob.metadata.uid]]);
    assert.equal(object.metadata.labels?.['kubectl-backup.io/schedule-name'], 'nightly');
    assert.equal(object.status?.phase, 'Completed');
    assert.ok(!names.includes('nightly-20200101020000'), 'the expired backup was deleted after the run');
  });

  it("needed nothing beyond the runner's least-privilege RBAC", async () => {
    const manifests = installManifests({ namespace: ns });
    const rules = (kind: string) => (manifests.find((m) => m.kind === kind)!.rules as PolicyRule[]);
    const requests = e2e.api.requestLog.list();
    assert.ok(requests.length > 0);
    const denied = requests.filter((r) => !allowed(r, rules('ClusterRole'), rules('Role'), ns)).map((r) => `${r.method} ${r.path}`);
    assert.deepEqual(denied, [], 'every request of the scheduled run is allowed to kubectl-backup-runner');
    // What the run read by name outside its namespace: the CRD, the Namespace object, the ordered items.
    const byName = requests.filter((r) => new URLSearchParams(r.query).has('fieldSelector')).map((r) => `${r.path}?${new URLSearchParams(r.query).get('fieldSelector')}`);
    for (const read of [
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions?metadata.name=widgets.example.com',
      '/api/v1/namespaces?metadata.name=shop',
      '/api/v1/namespaces/shop/configmaps?metadata.name=cm-3',
      '/apis/example.com/v2/namespaces/shop/widgets?metadata.name=w1',
    ]) {
      assert.ok(byName.includes(read), `${read} in ${byName.join(', ')}`);
    }
    const methods = new Set(requests.map((r) => r.method));
    assert.ok(methods.has('POST') && methods.has('PATCH') && methods.has('DELETE'), 'the run wrote its Backup object and deleted the expired one');
    const check = (method: string, path: string) => allowed({ method, path, query: '' }, rules('ClusterRole'), rules('Role'), ns);
    assert.equal(check('POST', '/api/v1/namespaces/default/configmaps'), false, 'no write outside its records');
    assert.equal(check('PATCH', `/apis/batch/v1/namespaces/${ns}/cronjobs/nightly`), false, 'schedules are read only');
    assert.equal(check('DELETE', `/apis/kubectl-backup.io/v1/namespaces/other/backups/x`), false, 'records of its own namespace only');
    assert.equal(check('GET', '/api/v1/nodes/node-1/proxy/exec/shop/p/c'), false, 'no command runs through the kubelet');
    assert.equal(check('GET', '/api/v1/namespaces/shop/pods/p/exec'), false, 'nor in a container');
  });
});
