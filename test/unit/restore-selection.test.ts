import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { readArchive } from '../../src/archive/archive-reader.js';
import { NamespaceFilter } from '../../src/backup/namespace-filter.js';
import { indexArchive, type ArchiveIndex, type SpoolScope } from '../../src/restore/archive-index.js';
import { ItemSpool } from '../../src/restore/item-spool.js';
import { parseLabelSelector } from '../../src/kube/label-selector.js';
import { spoolScope } from '../../src/restore/spool-scope.js';
import { resolveResourceFilter } from '../../src/restore/resource-filter.js';
import { RestoreSelection, type Decision } from '../../src/restore/restore-selection.js';
import { formatVersion, versionEntry } from '../../src/archive/archive-paths.js';
import { backupArchive, tarGz, type ArchiveObject, type RawEntry } from '../builders/restore-archive.js';
import { configMap, item, namespaceItem, ownedBy, volumesOfEveryPolicy } from '../builders/restore-objects.js';

interface Rules {
  includeNamespaces?: string[];
  excludeNamespaces?: string[];
  includeResources?: string[];
  excludeResources?: string[];
  includeClusterResources?: boolean;
  includeOwnedResources?: boolean;
  selector?: string;
}

let dir: string;
before(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-selection-'));
});
after(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

let spools = 0;
/** The index of an archive of `objects`; with `scope`, only the items in it are spooled (spool-scope.ts). */
async function index(objects: ArchiveObject[], selector?: string, velero = false, scope?: SpoolScope): Promise<{ index: ArchiveIndex; spool: ItemSpool }> {
  const archive = await backupArchive(objects, { veleroVersionFolders: velero });
  const spool = await ItemSpool.create(path.join(dir, `spool-${spools++}`));
  const idx = await indexArchive(readArchive(Readable.from([archive]), { name: 'a.tar.gz' }), spool, 'a.tar.gz', { selector: selector ? parseLabelSelector(selector) : undefined, scope });
  return { index: idx, spool };
}

async function selectionOf(objects: ArchiveObject[], rules: Rules = {}, scope?: SpoolScope): Promise<{ index: ArchiveIndex; selection: RestoreSelection }> {
  const { index: idx, spool } = await index(objects, rules.selector, false, scope);
  await spool.close();
  const resources = [...idx.kinds].map(([resource, kind]) => ({ resource, kind }));
  const selection = new RestoreSelection(idx, {
    namespaces: new NamespaceFilter(rules.includeNamespaces ?? ['*'], rules.excludeNamespaces ?? []),
    resources: resolveResourceFilter(rules.includeResources ?? ['*'], rules.excludeResources ?? [], resources, undefined),
    includeClusterResources: rules.includeClusterResources,
    includeOwnedResources: rules.includeOwnedResources ?? false,
  });
  return { index: idx, selection };
}

/** Decisions by `resource ns/name`, for the items the restore takes. */
async function decisions(objects: ArchiveObject[], rules: Rules = {}): Promise<Record<string, string>> {
  const { index: idx, selection } = await selectionOf(objects, rules);
  const out: Record<string, string> = {};
  for (const items of idx.byResource.values()) {
    for (const it of items) {
      const d: Decision | undefined = selection.decide(it);
      if (d) out[`${it.resource} ${it.namespace ? `${it.namespace}/` : ''}${it.name}`] = d.action === 'restore' ? 'restore' : `skip (${d.reason})`;
    }
  }
  return out;
}

describe('restore: archive index', () => {
  it("reads each item once from Velero's layout, preferring the plain copy", async () => {
    const { index: idx, spool } = await index([configMap('a', 'c1')], undefined, true);
    const items = idx.byResource.get('configmaps')!;
    assert.equal(items.length, 1);
    assert.equal(items[0]!.copyRank, 0);
    assert.deepEqual(JSON.parse(spool.read(items[0]!).toString()).data, { k: 'v' });
    await spool.close();
  });

  it('keeps the preferred-version copy when there is no plain one, rather than another version\'s', async () => {
    const copy = (folder: string, value: string): RawEntry => ({ name: `resources/configmaps/${folder}/namespaces/a/c1.json`, body: JSON.stringify(configMap('a', 'c1', { k: value }).object) });
    // Another version's copy on both sides of the preferred one, so that neither order decides.
    const archive = await tarGz([{ name: versionEntry, body: `${formatVersion}\n` }, copy('v1beta1', 'other'), copy('v1-preferredversion', 'preferred'), copy('v2', 'other')]);
    const spool = await ItemSpool.create(path.join(dir, `spool-${spools++}`));
    const idx = await indexArchive(readArchive(Readable.from([archive]), { name: 'a.tar.gz' }), spool, 'a.tar.gz');
    assert.equal(idx.itemCount, 1);
    const items = idx.byResource.get('configmaps')!;
    assert.equal(items[0]!.copyRank, 1);
    assert.deepEqual(JSON.parse(spool.read(items[0]!).toString()).data, { k: 'preferred' });
    await spool.close();
  });

  it('holds nothing for an archive without items', async () => {
    const { index: idx, spool } = await index([]);
    await spool.close();
    assert.equal(idx.itemCount, 0);
    assert.deepEqual([...idx.byResource], []);
  });
});

describe('restore: selection', () => {
  it('never restores nodes, events, leases, csinodes, volumeattachments, componentstatuses or our own records', async () => {
    const never: ArchiveObject[] = [
      item('nodes', 'v1', 'Node', 'n1', undefined),
      item('events', 'v1', 'Event', 'e1', 'a'),
      item('events.events.k8s.io', 'events.k8s.io/v1', 'Event', 'e2', 'a'),
      item('backups.kubectl-backup.io', 'kubectl-backup.io/v1', 'Backup', 'b1', 'kubectl-backup'),
      item('restores.kubectl-backup.io', 'kubectl-backup.io/v1', 'Restore', 'r1', 'kubectl-backup'),
      item('csinodes.storage.k8s.io', 'storage.k8s.io/v1', 'CSINode', 'n1', undefined),
      item('volumeattachments.storage.k8s.io', 'storage.k8s.io/v1', 'VolumeAttachment', 'va1', undefined),
      item('componentstatuses', 'v1', 'ComponentStatus', 'etcd-0', undefined),
      item('leases.coordination.k8s.io', 'coordination.k8s.io/v1', 'Lease', 'l1', 'a'),
    ];
    const got = await decisions([namespaceItem('a'), namespaceItem('kubectl-backup'), ...never]);
    for (const { resource, object } of never) {
      const key = `${resource} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
      assert.equal(got[key], 'skip (never restored)', key);
    }
  });

  it('never restores token Secrets, kube-root-ca.crt, controller EndpointSlices and Endpoints of selector Services', async () => {
    const got = await decisions([
      namespaceItem('a'),
      item('secrets', 'v1', 'Secret', 'sa-token', 'a', { type: 'kubernetes.io/service-account-token' }),
      item('secrets', 'v1', 'Secret', 'plain', 'a', { type: 'Opaque' }),
      configMap('a', 'kube-root-ca.crt'),
      item('endpointslices.discovery.k8s.io', 'discovery.k8s.io/v1', 'EndpointSlice', 'web-abc', 'a', {}, { labels: { 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' } }),
      item('endpointslices.discovery.k8s.io', 'discovery.k8s.io/v1', 'EndpointSlice', 'manual', 'a', {}, { labels: { 'endpointslice.kubernetes.io/managed-by': 'someone-else' } }),
      item('services', 'v1', 'Service', 'web', 'a', { spec: { selector: { app: 'web' } } }),
      item('services', 'v1', 'Service', 'external', 'a', { spec: {} }),
      item('endpoints', 'v1', 'Endpoints', 'web', 'a'),
      item('endpoints', 'v1', 'Endpoints', 'external', 'a'),
    ]);
    assert.deepEqual(got, {
      'namespaces a': 'restore',
      'secrets a/sa-token': 'skip (never restored)',
      'secrets a/plain': 'restore',
      'configmaps a/kube-root-ca.crt': 'skip (never restored)',
      'endpointslices.discovery.k8s.io a/web-abc': 'skip (never restored)',
      'endpointslices.discovery.k8s.io a/manual': 'restore',
      'services a/web': 'restore',
      'services a/external': 'restore',
      'endpoints a/web': 'skip (never restored)',
      'endpoints a/external': 'restore',
    });
  });

  it('never restores mirror pods, which the kubelet makes from static pod manifests', async () => {
    // Their controller is their Node, which is never restored: they are not skipped as owned.
    const node = item('nodes', 'v1', 'Node', 'node-1', undefined);
    const got = await decisions([
      namespaceItem('kube-system'),
      node,
      item('pods', 'v1', 'Pod', 'kube-apiserver-node-1', 'kube-system', {}, { annotations: { 'kubernetes.io/config.mirror': '3f1c2e', 'kubernetes.io/config.source': 'file' }, ...ownedBy(node) }),
      item('pods', 'v1', 'Pod', 'etcd-node-1', 'kube-system', {}, { annotations: { 'kubernetes.io/config.mirror': '' } }),
      item('pods', 'v1', 'Pod', 'plain', 'kube-system', {}, { annotations: { 'kubernetes.io/config.source': 'api' } }),
    ]);
    assert.deepEqual(got, {
      'namespaces kube-system': 'restore',
      'nodes node-1': 'skip (never restored)',
      'pods kube-system/kube-apiserver-node-1': 'skip (never restored)',
      'pods kube-system/etcd-node-1': 'skip (never restored)',
      'pods kube-system/plain': 'restore',
    });
  });

  it("never restores the APIServices the API server makes for its own groups (as Velero), and restores an aggregated API's", async () => {
    const api = (name: string, labels: Record<string, string>) => item('apiservices.apiregistration.k8s.io', 'apiregistration.k8s.io/v1', 'APIService', name, undefined, { spec: { group: name.split('.').slice(1).join('.'), version: name.split('.')[0] } }, { labels });
    const got = await decisions([
      api('v1beta3.flowcontrol.apiserver.k8s.io', { 'kube-aggregator.kubernetes.io/automanaged': 'onstart' }),
      api('v1.example.com', { 'kube-aggregator.kubernetes.io/automanaged': 'true' }),
      api('v1beta1.metrics.k8s.io', { 'k8s-app': 'metrics-server' }),
    ]);
    assert.deepEqual(got, {
      'apiservices.apiregistration.k8s.io v1beta3.flowcontrol.apiserver.k8s.io': 'skip (never restored)',
      'apiservices.apiregistration.k8s.io v1.example.com': 'skip (never restored)',
      'apiservices.apiregistration.k8s.io v1beta1.metrics.k8s.io': 'restore',
    });
  });

  it('skips pods that ended and Jobs that completed, as backed up, and does not count them as restored owners', async () => {
    const cronJob = item('cronjobs.batch', 'batch/v1', 'CronJob', 'nightly', 'a');
    const completed = item('jobs.batch', 'batch/v1', 'Job', 'nightly-1', 'a', { status: { succeeded: 1, completionTime: '2024-01-01T01:00:00Z' } }, ownedBy(cronJob));
    const migration = item('jobs.batch', 'batch/v1', 'Job', 'migrate', 'a', { status: { succeeded: 1, completionTime: '2024-01-01T02:00:00Z' } });
    const got = await decisions([
      namespaceItem('a'),
      cronJob,
      completed,
      item('pods', 'v1', 'Pod', 'nightly-1-x', 'a', { status: { phase: 'Succeeded' } }, ownedBy(completed)),
      migration,
      // Its pod has no phase to tell: its Job is not restored, so the pod is not left to it.
      item('pods', 'v1', 'Pod', 'migrate-x', 'a', {}, ownedBy(migration)),
      item('jobs.batch', 'batch/v1', 'Job', 'running', 'a', { status: { active: 1 } }),
      // A failed Job has no completion time: restored, as with Velero.
      item('jobs.batch', 'batch/v1', 'Job', 'failed', 'a', { status: { failed: 6, conditions: [{ type: 'Failed', status: 'True' }] } }),
      item('jobs.batch', 'batch/v1', 'Job', 'blank', 'a', { status: { completionTime: '' } }),
      item('pods', 'v1', 'Pod', 'crashed', 'a', { status: { phase: 'Failed' } }),
      item('pods', 'v1', 'Pod', 'up', 'a', { status: { phase: 'Running' } }),
      item('pods', 'v1', 'Pod', 'waiting', 'a', { status: { phase: 'Pending' } }),
    ]);
    assert.deepEqual(got, {
      'namespaces a': 'restore',
      'cronjobs.batch a/nightly': 'restore',
      'jobs.batch a/nightly-1': 'skip (completed)',
      'pods a/nightly-1-x': 'skip (completed)',
      'jobs.batch a/migrate': 'skip (completed)',
      'pods a/migrate-x': 'restore',
      'jobs.batch a/running': 'restore',
      'jobs.batch a/failed': 'restore',
      'jobs.batch a/blank': 'restore',
      'pods a/crashed': 'skip (completed)',
      'pods a/up': 'restore',
      'pods a/waiting': 'restore',
    });
  });

  it('skips controller-owned objects whose owner is restored, down the chain, unless --include-owned-resources', async () => {
    const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'web', 'a');
    const rs = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'web-1', 'a', {}, ownedBy(deployment));
    const pod = item('pods', 'v1', 'Pod', 'web-1-x', 'a', {}, ownedBy(rs));
    const notController = item('configmaps', 'v1', 'ConfigMap', 'cm', 'a', {}, ownedBy(deployment, false));
    const orphanOwner = item('deployments.apps', 'apps/v1', 'Deployment', 'gone', 'b');
    const orphan = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'gone-1', 'b', {}, ownedBy(orphanOwner));
    const objects = [namespaceItem('a'), namespaceItem('b'), deployment, rs, pod, notController, orphan];
    assert.deepEqual(await decisions(objects), {
      'namespaces a': 'restore',
      'namespaces b': 'restore',
      'deployments.apps a/web': 'restore',
      'replicasets.apps a/web-1': 'skip (owned)',
      'pods a/web-1-x': 'skip (owned)',
      'configmaps a/cm': 'restore',
      'replicasets.apps b/gone-1': 'restore',
    });
    const withOwned = await decisions(objects, { includeOwnedResources: true });
    assert.equal(withOwned['replicasets.apps a/web-1'], 'restore');
    assert.equal(withOwned['pods a/web-1-x'], 'restore');
    // An owner left out by the filters does not make its dependents owned.
    const onlyPods = await decisions(objects, { includeResources: ['pods'] });
    assert.deepEqual(onlyPods, { 'namespaces a': 'restore', 'pods a/web-1-x': 'restore' });
  });

  it('applies namespace, resource and label filters; Namespace objects come with their selected items', async () => {
    const objects = [
      namespaceItem('a'),
      namespaceItem('b'),
      namespaceItem('c'),
      configMap('a', 'one', {}, { labels: { app: 'x' } }),
      configMap('b', 'two'),
      item('secrets', 'v1', 'Secret', 's', 'a', {}, { labels: { app: 'x' } }),
      item('clusterroles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'ClusterRole', 'cr', undefined),
    ];
    assert.deepEqual(await decisions(objects, { includeNamespaces: ['a', 'c'], includeResources: ['configmap'] }), {
      'namespaces a': 'restore',
      'configmaps a/one': 'restore',
    });
    assert.deepEqual(await decisions(objects, { excludeNamespaces: ['b', 'c'], selector: 'app=x' }), {
      'namespaces a': 'restore',
      'configmaps a/one': 'restore',
      'secrets a/s': 'restore',
    });
    assert.deepEqual(await decisions(objects, { includeResources: ['ConfigMap', 'clusterroles.rbac.authorization.k8s.io'] }), {
      'namespaces a': 'restore',
      'namespaces b': 'restore',
      'configmaps a/one': 'restore',
      'configmaps b/two': 'restore',
      'clusterroles.rbac.authorization.k8s.io cr': 'restore',
    });
  });

  it('takes cluster-scoped resources per --include-cluster-resources, and the CRDs and PVs that selected items need', async () => {
    const crd = item('customresourcedefinitions.apiextensions.k8s.io', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', undefined);
    const otherCrd = item('customresourcedefinitions.apiextensions.k8s.io', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'gadgets.example.com', undefined);
    const widget = item('widgets.example.com', 'example.com/v1', 'Widget', 'w', 'a');
    const pv = item('persistentvolumes', 'v1', 'PersistentVolume', 'pv1', undefined, { spec: { claimRef: { namespace: 'a', name: 'data' } } });
    const otherPv = item('persistentvolumes', 'v1', 'PersistentVolume', 'pv2', undefined, { spec: { claimRef: { namespace: 'b', name: 'data' } } });
    const pvc = item('persistentvolumeclaims', 'v1', 'PersistentVolumeClaim', 'data', 'a');
    const role = item('clusterroles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'ClusterRole', 'cr', undefined);
    const objects = [namespaceItem('a'), namespaceItem('b'), crd, otherCrd, widget, pv, otherPv, pvc, role];
    const all = await decisions(objects);
    assert.equal(Object.values(all).filter((d) => d === 'restore').length, 9);
    assert.deepEqual(Object.keys(await decisions(objects, { includeNamespaces: ['a'] })).sort(), [
      'customresourcedefinitions.apiextensions.k8s.io widgets.example.com',
      'namespaces a',
      'persistentvolumeclaims a/data',
      'persistentvolumes pv1',
      'widgets.example.com a/w',
    ]);
    assert.deepEqual(Object.keys(await decisions(objects, { includeNamespaces: ['a'], includeClusterResources: false })).sort(), [
      'namespaces a',
      'persistentvolumeclaims a/data',
      'widgets.example.com a/w',
    ]);
    assert.deepEqual(Object.keys(await decisions(objects, { includeNamespaces: ['a'], includeClusterResources: true })).sort(), [
      'clusterroles.rbac.authorization.k8s.io cr',
      'customresourcedefinitions.apiextensions.k8s.io gadgets.example.com',
      'customresourcedefinitions.apiextensions.k8s.io widgets.example.com',
      'namespaces a',
      'persistentvolumeclaims a/data',
      'persistentvolumes pv1',
      'persistentvolumes pv2',
      'widgets.example.com a/w',
    ]);
    assert.deepEqual(Object.keys(await decisions(objects, { includeNamespaces: ['a'], excludeResources: ['customresourcedefinitions'] })).sort(), [
      'namespaces a',
      'persistentvolumeclaims a/data',
      'persistentvolumes pv1',
      'widgets.example.com a/w',
    ]);
  });

  describe('persistent volumes (a backup holds no volume data)', () => {
    const objects = volumesOfEveryPolicy();

    it('never restores a PV with reclaim policy Delete; restores the others', async () => {
      const got = await decisions(objects);
      assert.equal(got['persistentvolumes pv-delete'], 'skip (never restored)');
      for (const name of ['pv-retain', 'pv-recycle', 'pv-unset']) assert.equal(got[`persistentvolumes ${name}`], 'restore', name);
      for (const name of ['by-delete', 'by-retain', 'by-recycle', 'by-unset', 'by-missing']) assert.equal(got[`persistentvolumeclaims a/${name}`], 'restore', name);
      const { index: idx, selection } = await selectionOf(objects);
      const skipped = selection.decide(idx.byResource.get('persistentvolumes')!.find((pv) => pv.name === 'pv-delete')!);
      assert.deepEqual(skipped, { action: 'skip', reason: 'never restored', detail: 'reclaim policy Delete and no volume snapshot: its claim is provisioned a new volume' });
    });
    // Which volumes are provisioned anew is a fact of the index (restore-archive-index.test.ts), and
    // what a restore does with it, whatever the filters, is tested by the engine (restore-engine.test.ts).
  });
});

/**
 * The archive index spools only what the filters may select (spool-scope.ts), as far as an item
 * alone tells; the selection decides the rest from the whole index. Written apart, the two must
 * agree: an item the selection restores but the spool left out could not be read.
 */
describe('restore: what the spool keeps and what the selection takes', () => {
  const crd = item('customresourcedefinitions.apiextensions.k8s.io', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', undefined);
  const objects: ArchiveObject[] = [
    namespaceItem('a'),
    namespaceItem('b', { app: 'x' }),
    namespaceItem('empty'),
    configMap('a', 'labelled', undefined, { labels: { app: 'x' } }),
    configMap('a', 'plain'),
    configMap('b', 'other', undefined, { labels: { app: 'y' } }),
    crd,
    item('widgets.example.com', 'example.com/v1', 'Widget', 'w', 'a', {}, { labels: { app: 'x' } }),
    item('storageclasses.storage.k8s.io', 'storage.k8s.io/v1', 'StorageClass', 'fast', undefined, {}, { labels: { app: 'x' } }),
    item('clusterroles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader', undefined),
    ...volumesOfEveryPolicy().filter((o) => o.resource !== 'namespaces'),
  ];
  const matrix: Rules[] = [];
  for (const namespaces of [{}, { includeNamespaces: ['a'] }, { includeNamespaces: ['b', 'empty'] }, { excludeNamespaces: ['a'] }, { includeNamespaces: ['*'], excludeNamespaces: ['b'] }]) {
    for (const includeClusterResources of [undefined, true, false]) {
      for (const selector of [undefined, 'app=x']) {
        for (const resources of [{}, { includeResources: ['configmaps'] }, { includeResources: ['widgets'] }, { includeResources: ['namespaces', 'storageclasses'] }, { excludeResources: ['persistentvolumes', 'customresourcedefinitions'] }]) {
          matrix.push({ ...namespaces, ...resources, ...(includeClusterResources === undefined ? {} : { includeClusterResources }), ...(selector ? { selector } : {}) });
        }
      }
    }
  }

  it(`spools every item the selection restores, for each of ${matrix.length} combinations of filters`, async () => {
    let restored = 0;
    for (const rules of matrix) {
      const scope = spoolScope({ includeNamespaces: rules.includeNamespaces ?? ['*'], excludeNamespaces: rules.excludeNamespaces ?? [], includeClusterResources: rules.includeClusterResources });
      const { index: idx, selection } = await selectionOf(objects, rules, scope);
      for (const it of [...idx.byResource.values()].flat()) {
        if (selection.decide(it)?.action !== 'restore') continue;
        restored++;
        assert.ok(it.offset >= 0, `${it.resource} ${it.namespace ?? ''}/${it.name} is restored with ${JSON.stringify(rules)} but was not spooled`);
      }
    }
    // The matrix takes items of every kind above, not only a few.
    assert.ok(restored > matrix.length * 2, `${restored} items restored in all`);
  });
});
