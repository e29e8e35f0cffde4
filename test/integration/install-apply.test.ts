import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { ExitCode } from '../../src/errors.js';
import { isNotFound } from '../../src/kube/api-error.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeList, KubeObject } from '../../src/kube/types.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { applyObject } from '../../src/install/apply.js';
import { install } from '../../src/install/install.js';
import { ownCrdsInstalled, requireOwnCrds } from '../../src/install/installed.js';
import { uninstall } from '../../src/install/uninstall.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { kubectl, kubectlBackup } from '../helpers/plugin.js';

let server: TestApiServer;
/** kubectl's discovery cache of its own: servers on reused ports must not read each other's. */
const env = { KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kubectl-cache-')) };
let client: KubeClient;

const get = <T = KubeObject>(path: string) => client.json<T>({ method: 'GET', path });
const exists = async (path: string) => {
  try {
    await get(path);
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
};
const crdPath = (name: string) => `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`;
const crds = ['backups.kubectl-backup.io', 'restores.kubectl-backup.io', 'backupstoragelocations.kubectl-backup.io'];

describe('install and uninstall against the API test server', () => {
  before(async () => {
    server = await startTestApiServer({ tls: true });
    ({ client } = await connectCluster({ kubeconfig: server.kubeconfigPath, env }));
  });
  after(async () => server?.close());

  it('says which command to run when the CRDs are missing', async () => {
    assert.equal(await ownCrdsInstalled(client), false);
    await assert.rejects(requireOwnCrds(client, 'schedule create'), (err: Error & { exitCode?: number }) => {
      assert.equal(err.message, 'schedule create needs the kubectl-backup CRDs, which are not installed in this cluster: run kubectl backup install');
      assert.equal(err.exitCode, ExitCode.BadInput);
      return true;
    });
  });

  it('applies everything, then changes nothing when run again', async () => {
    const first = await install(client, { namespace: 'kubectl-backup' });
    assert.deepEqual(first.map((a) => a.outcome), first.map(() => 'created'));
    assert.deepEqual(first.map((a) => a.ref), [
      'namespace/kubectl-backup',
      ...crds.map((c) => `customresourcedefinition.apiextensions.k8s.io/${c}`),
      'serviceaccount/kubectl-backup-runner',
      'clusterrole.rbac.authorization.k8s.io/kubectl-backup-runner:kubectl-backup',
      'clusterrolebinding.rbac.authorization.k8s.io/kubectl-backup-runner:kubectl-backup',
      'role.rbac.authorization.k8s.io/kubectl-backup-runner',
      'rolebinding.rbac.authorization.k8s.io/kubectl-backup-runner',
      'configmap/kubectl-backup',
    ]);
    const second = await install(client, { namespace: 'kubectl-backup' });
    assert.deepEqual(second.map((a) => [a.ref, a.outcome]), first.map((a) => [a.ref, 'unchanged']));
    const third = await install(client, { namespace: 'kubectl-backup', image: 'registry.local/kb:dev' });
    assert.deepEqual(third.filter((a) => a.outcome !== 'unchanged').map((a) => [a.ref, a.outcome]), [['configmap/kubectl-backup', 'configured']]);
    const cm = await get<{ data?: Record<string, string> }>('/api/v1/namespaces/kubectl-backup/configmaps/kubectl-backup');
    assert.deepEqual(cm.data, { image: 'registry.local/kb:dev' });
  });

  it('drops an image set earlier when run again without --image, so that schedules run the released image of their own version', async () => {
    const cmPath = '/api/v1/namespaces/kubectl-backup/configmaps/kubectl-backup';
    assert.deepEqual((await get<{ data?: Record<string, string> }>(cmPath)).data, { image: 'registry.local/kb:dev' }, 'set by --image before');
    const again = await install(client, { namespace: 'kubectl-backup' });
    assert.deepEqual(again.filter((a) => a.outcome !== 'unchanged').map((a) => [a.ref, a.outcome]), [['configmap/kubectl-backup', 'configured']]);
    assert.equal((await get<{ data?: Record<string, string> }>(cmPath)).data?.image, undefined);
    // As kubectl apply does, a key someone else added, which no manifest of ours had, is left.
    await client.json({ method: 'PATCH', path: cmPath, contentType: 'application/merge-patch+json', body: { data: { stray: 'x' } } });
    const stray = await install(client, { namespace: 'kubectl-backup' });
    assert.ok(stray.every((a) => a.outcome === 'unchanged'));
    assert.equal((await get<{ data?: Record<string, string> }>(cmPath)).data?.stray, 'x');
  });

  it('applies a manifest that dropped a key, which the fields alone would not show (a rule narrowed)', async () => {
    const role = (rule: Record<string, string[]>): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'narrowed', namespace: 'kubectl-backup' }, rules: [rule] } as KubeObject);
    const rolePath = '/apis/rbac.authorization.k8s.io/v1/namespaces/kubectl-backup/roles/narrowed';
    assert.equal(await applyObject(client, role({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] })), 'created');
    const narrowed = role({ apiGroups: [''], resources: ['secrets'], resourceNames: ['kubectl-backup-s3'], verbs: ['get'] });
    assert.equal(await applyObject(client, narrowed), 'configured');
    const widened = role({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    assert.equal(await applyObject(client, widened), 'configured', 'resourceNames dropped');
    assert.equal((await get<{ rules: { resourceNames?: string[] }[] }>(rolePath)).rules[0]!.resourceNames, undefined);
    assert.equal(await applyObject(client, widened), 'unchanged');
    await client.json({ method: 'DELETE', path: rolePath });
  });

  it('leaves the CRDs Established and their resources served', async () => {
    for (const name of crds) {
      const crd = await get<{ status?: { conditions?: { type: string; status: string }[] } }>(crdPath(name));
      assert.ok(crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True'), name);
    }
    assert.equal(await ownCrdsInstalled(client), true);
    await requireOwnCrds(client, 'schedule create');
  });

  it('brings a changed object back to the manifest', async () => {
    await client.json({
      method: 'PATCH',
      path: '/apis/rbac.authorization.k8s.io/v1/namespaces/kubectl-backup/roles/kubectl-backup-runner',
      contentType: 'application/merge-patch+json',
      body: { rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }], metadata: { labels: { extra: 'kept' } } },
    });
    const again = await install(client, { namespace: 'kubectl-backup' });
    assert.deepEqual(again.filter((a) => a.outcome !== 'unchanged').map((a) => a.ref), ['role.rbac.authorization.k8s.io/kubectl-backup-runner']);
    const role = await get<KubeObject & { rules: { verbs: string[] }[] }>('/apis/rbac.authorization.k8s.io/v1/namespaces/kubectl-backup/roles/kubectl-backup-runner');
    assert.ok(!role.rules.some((r) => r.verbs.includes('*')));
    assert.equal(role.metadata.labels?.extra, 'kept', 'labels someone else added stay');
  });

  it('makes kubectl get backups useful on its own: phase, items, expiry, age', async () => {
    const backup = { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name: 'nightly-20250101020000', namespace: 'kubectl-backup' }, spec: { storageLocation: 'primary', ttl: '720h' } };
    await client.json({ method: 'POST', path: ownResourcePath('backups', 'kubectl-backup'), body: backup });
    await client.json({
      method: 'PATCH',
      path: `${ownResourcePath('backups', 'kubectl-backup', backup.metadata.name)}/status`,
      contentType: 'application/merge-patch+json',
      body: { status: { phase: 'Completed', expiration: '2099-01-31T02:00:00Z', progress: { totalItems: 42, itemsBackedUp: 42 } } },
    });
    const result = await kubectl(['get', 'backups', '-n', 'kubectl-backup'], { kubeconfig: server.kubeconfigPath, env });
    assert.equal(result.code, 0, result.stderr);
    const [header, row] = result.stdout.trim().split('\n');
    assert.deepEqual(header!.split(/\s{2,}/), ['NAME', 'PHASE', 'ITEMS', 'EXPIRES', 'AGE']);
    assert.match(row!, /^nightly-20250101020000\s+Completed\s+42\s+2099-01-31T02:00:00Z\s+\d+s$/);
    const wide = await kubectl(['get', 'kbackup', '-n', 'kubectl-backup', '-o', 'wide'], { kubeconfig: server.kubeconfigPath, env });
    assert.match(wide.stdout, /LOCATION/);
    assert.match(wide.stdout, /primary/);
  });

  it('uninstalls everything it installed, and the namespace it created, without touching storage', async () => {
    const removed = await uninstall(client, 'kubectl-backup');
    assert.ok(removed.every((r) => r.outcome === 'deleted'), JSON.stringify(removed));
    for (const name of crds) assert.equal(await exists(crdPath(name)), false, name);
    assert.equal(await exists('/apis/rbac.authorization.k8s.io/v1/clusterroles/kubectl-backup-runner:kubectl-backup'), false);
    // One read: the namespace controller may finish deleting it between two.
    const ns = await getIfExists<KubeObject>(client, '/api/v1/namespaces/kubectl-backup');
    assert.ok(ns === undefined || ns.metadata.deletionTimestamp, 'the namespace is gone or going');
    assert.equal(await ownCrdsInstalled(client), false);
  });

  it('keeps the CRDs while another namespace uses them, and a namespace it did not create', async () => {
    await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } } });
    await install(client, { namespace: 'team-a' });
    await install(client, { namespace: 'team-b' });
    const removed = await uninstall(client, 'team-a');
    const kept = removed.filter((r) => r.outcome === 'kept');
    assert.deepEqual(kept.map((r) => [r.ref, r.reason]), [
      ...crds.map((c) => [`customresourcedefinition.apiextensions.k8s.io/${c}`, 'still used by kubectl-backup in namespace team-b']).reverse(),
      ['namespace/team-a', 'it was not created by kubectl backup install'],
    ]);
    assert.equal(await exists('/api/v1/namespaces/team-a'), true);
    assert.equal(await exists('/api/v1/namespaces/team-a/serviceaccounts/kubectl-backup-runner'), false);
    assert.equal(await ownCrdsInstalled(client), true, 'team-b still works');
    const last = await uninstall(client, 'team-b');
    assert.ok(last.filter((r) => r.ref.startsWith('customresourcedefinition')).every((r) => r.outcome === 'deleted'));
  });

  it('deletes the records and locations of its namespace when the CRDs stay for another one', async () => {
    await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-c' } } });
    await install(client, { namespace: 'team-c' });
    await install(client, { namespace: 'team-d' });
    const create = (resource: 'backups' | 'restores' | 'backupstoragelocations', kind: string, ns: string, name: string, spec: object) =>
      client.json({ method: 'POST', path: ownResourcePath(resource, ns), body: { apiVersion: 'kubectl-backup.io/v1', kind, metadata: { name }, spec } });
    await create('backupstoragelocations', 'BackupStorageLocation', 'team-c', 'primary', { url: 's3://bucket/c' });
    await create('backups', 'Backup', 'team-c', 'nightly-20250101020000', { storageLocation: 'primary' });
    await create('restores', 'Restore', 'team-c', 'nightly-20250101020000-20250102030000', { backupName: 'nightly-20250101020000' });
    await create('backups', 'Backup', 'team-d', 'theirs', { storageLocation: 'primary' });

    const removed = await uninstall(client, 'team-c');
    for (const ref of [
      'backup.kubectl-backup.io/nightly-20250101020000',
      'restore.kubectl-backup.io/nightly-20250101020000-20250102030000',
      'backupstoragelocation.kubectl-backup.io/primary',
    ]) {
      assert.ok(removed.some((r) => r.ref === ref && r.outcome === 'deleted'), `${ref} in ${JSON.stringify(removed)}`);
    }
    assert.equal(await exists('/api/v1/namespaces/team-c'), true, 'a namespace install did not create stays');
    for (const resource of ['backups', 'restores', 'backupstoragelocations'] as const) {
      assert.deepEqual((await get<KubeList>(ownResourcePath(resource, 'team-c'))).items, [], `no ${resource} left in team-c`);
    }
    assert.equal(await exists(ownResourcePath('backups', 'team-d', 'theirs')), true, 'the other install keeps its records');
    await uninstall(client, 'team-d');
  });

  it('removes schedules and the Secrets it made, and nothing else of the namespace', async () => {
    await install(client, { namespace: 'kubectl-backup-2' });
    const ns = 'kubectl-backup-2';
    const labels = { 'app.kubernetes.io/managed-by': 'kubectl-backup', 'kubectl-backup.io/schedule-name': 's' };
    await client.json({
      method: 'POST',
      path: `/apis/batch/v1/namespaces/${ns}/cronjobs`,
      body: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 's', labels }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } } },
    });
    await client.json({ method: 'POST', path: `/api/v1/namespaces/${ns}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'ours', labels: { 'app.kubernetes.io/managed-by': 'kubectl-backup' } } } });
    await client.json({ method: 'POST', path: `/api/v1/namespaces/${ns}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'theirs' } } });
    const removed = await uninstall(client, ns);
    assert.deepEqual(removed.slice(0, 2).map((r) => [r.ref, r.outcome]), [['cronjob.batch/s', 'deleted'], ['secret/ours', 'deleted']]);
    assert.ok(!removed.some((r) => r.ref === 'secret/theirs'));
  });

  describe('commands', () => {
    it('prints the manifests as multi-document YAML with --dry-run, without a cluster', async () => {
      const result = await kubectlBackup(['install', '--dry-run', '-o', 'yaml', '-n', 'backups', '--image', 'registry.local/kb:1'], { kubeconfig: '/nonexistent' });
      assert.equal(result.code, 0, result.stderr);
      const docs = YAML.parseAllDocuments(result.stdout).map((d) => d.toJSON() as KubeObject);
      assert.deepEqual(docs.map((d) => d.kind), ['Namespace', 'CustomResourceDefinition', 'CustomResourceDefinition', 'CustomResourceDefinition', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding', 'ConfigMap']);
      assert.equal(docs[0]!.metadata.name, 'backups');
      assert.deepEqual(docs.at(-1)!.data, { image: 'registry.local/kb:1' });
      const json = await kubectlBackup(['install', '--dry-run', '-o', 'json'], { kubeconfig: '/nonexistent' });
      const list = JSON.parse(json.stdout) as KubeList;
      assert.equal(list.items.length, 10);
    });

    it('refuses bad values before touching the cluster', async () => {
      for (const [args, message] of [
        [['install', '--image', 'Bad Image'], /invalid --image "Bad Image": not a container image reference/],
        [['install', '-n', 'Bad_NS'], /invalid --namespace "Bad_NS"/],
        [['install', '-o', 'yaml'], /--output prints the manifests and needs --dry-run/],
        [['uninstall'], /uninstall deletes and cannot be undone: it needs --confirm when not run from a terminal/],
      ] as const) {
        const result = await kubectlBackup([...args], { kubeconfig: '/nonexistent' });
        assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message);
      }
    });

    it('installs twice and uninstalls with --confirm through kubectl', async () => {
      const first = await kubectlBackup(['install', '-n', 'via-kubectl'], { kubeconfig: server.kubeconfigPath, env });
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stdout, /^namespace\/via-kubectl created$/m);
      assert.match(first.stdout, /kubectl-backup is installed in namespace via-kubectl/);
      const second = await kubectlBackup(['install', '-n', 'via-kubectl'], { kubeconfig: server.kubeconfigPath, env });
      assert.equal(second.code, 0, second.stderr);
      assert.doesNotMatch(second.stdout, / (created|configured)$/m);
      const removed = await kubectlBackup(['uninstall', '--confirm', '-n', 'via-kubectl'], { kubeconfig: server.kubeconfigPath, env });
      assert.equal(removed.code, 0, removed.stderr);
      assert.match(removed.stdout, /customresourcedefinition.apiextensions.k8s.io\/backups.kubectl-backup.io deleted/);
      assert.match(removed.stdout, /backup data in storage was not touched/);
    });
  });
});
