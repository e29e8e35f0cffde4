import assert from 'node:assert/strict';
import type { BackupRequest } from '../../src/backup/backup-request.js';
import { BadInputError } from '../../src/errors.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import { noProgress } from '../../src/progress/progress-reporter.js';
import type { KubeObject } from '../../src/kube/types.js';
import { keysOf, readBackup, type BackupContents } from '../builders/backup-artifacts.js';
import { configMap, crd, customResource, namespace, persistentVolume, secret } from '../builders/backup-objects.js';
import { backupRequest, runBackup } from '../builders/backup-run.js';
import { startBackupTestbed, type BackupTestbed } from '../builders/backup-testbed.js';

/** What each filter of cli.md and each item rule of backup.md selects, read back from the archive. */
describe('backup filters and item rules', function () {
  this.timeout(60_000);
  let bed: BackupTestbed;

  before(async () => {
    bed = await startBackupTestbed('b', 'backup-filters-');
    await bed.server.seed([
      namespace('app-a'),
      namespace('app-b'),
      namespace('db-1'),
      namespace('other'),
      namespace('skip-me', { 'kubectl-backup.io/exclude-from-backup': 'true' }),
      crd('widgets', 'Widget'),
      crd('gadgets', 'Gadget', 'Cluster'),
      crd('things', 'Thing'),
      persistentVolume('pv1'),
      persistentVolume('pv2'),
      customResource('Gadget', 'g1'),
    ]);
    const objects = [];
    for (const ns of ['app-a', 'app-b', 'db-1', 'other', 'skip-me']) {
      for (let i = 0; i < 12; i++) objects.push(configMap(ns, `cm-${i}`, i % 3 === 0 ? { app: 'web' } : i % 3 === 1 ? { tier: 'db' } : {}));
      objects.push(secret(ns, 'creds'));
    }
    objects.push(configMap('app-a', 'ours-excluded', { 'kubectl-backup.io/exclude-from-backup': 'true' }));
    objects.push(configMap('app-a', 'velero-excluded', { 'velero.io/exclude-from-backup': 'true', app: 'web' }));
    objects.push(configMap('app-a', 'not-excluded', { 'velero.io/exclude-from-backup': 'false' }));
    objects.push(customResource('Widget', 'w1', 'app-a'));
    await bed.server.seed(objects);
  });
  after(() => bed.close());

  async function backup(filters: Partial<BackupRequest['filters']> = {}, overrides: Partial<BackupRequest> = {}) {
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, filters, overrides), bed.deps);
    return { outcome, contents: overrides.dryRun ? undefined : await readBackup(bed.store, name), name };
  }

  const names = (contents: BackupContents, resource: string) =>
    contents.entries.filter((e) => e.startsWith(`resources/${resource}/`)).map((e) => e.slice(`resources/${resource}/`.length).replace(/^(cluster|namespaces)\//, '').replace(/\.json$/, ''));
  const namespacesOf = (contents: BackupContents, resource: string) => [...new Set(names(contents, resource).map((n) => n.split('/')[0]))];

  describe('a backup of everything', () => {
    let contents: BackupContents;
    before(async () => {
      contents = (await backup()).contents!;
    });

    it('writes metadata/version first, then cluster-scoped before namespaced items, each type by namespace and name', () => {
      assert.equal(contents.entries[0], 'metadata/version');
      assert.equal(contents.raw.get('metadata/version'), '1.1.0\n');
      const items = contents.entries.slice(1);
      const scope = (e: string) => e.split('/')[2];
      const firstNamespaced = items.findIndex((e) => scope(e) === 'namespaces');
      assert.ok(firstNamespaced > 0);
      assert.ok(items.slice(firstNamespaced).every((e) => scope(e) === 'namespaces'), 'no cluster-scoped item after a namespaced one');
      const cms = names(contents, 'configmaps');
      const sorted = [...cms].sort((a, b) => {
        const [an, aname] = a.split('/') as [string, string];
        const [bn, bname] = b.split('/') as [string, string];
        return an < bn ? -1 : an > bn ? 1 : aname < bname ? -1 : aname > bname ? 1 : 0;
      });
      assert.deepEqual(cms, sorted);
    });

    it('takes cluster-scoped resources, custom resources in their preferred version and every CRD', () => {
      assert.deepEqual(names(contents, 'persistentvolumes'), ['pv1', 'pv2']);
      assert.deepEqual(names(contents, 'customresourcedefinitions.apiextensions.k8s.io'), ['gadgets.example.com', 'things.example.com', 'widgets.example.com']);
      const widget = contents.items.get('resources/widgets.example.com/namespaces/app-a/w1.json');
      assert.equal(widget?.apiVersion, 'example.com/v2');
      assert.equal(contents.items.get('resources/gadgets.example.com/cluster/g1.json')?.kind, 'Gadget');
    });

    it('leaves out items with either exclusion label, and everything in a labelled namespace, logging each', () => {
      const cms = names(contents, 'configmaps');
      assert.ok(!cms.includes('app-a/ours-excluded'));
      assert.ok(!cms.includes('app-a/velero-excluded'));
      assert.ok(cms.includes('app-a/not-excluded'), 'a label with another value than true excludes nothing');
      assert.ok(!namespacesOf(contents, 'configmaps').includes('skip-me'));
      assert.ok(!names(contents, 'namespaces').includes('skip-me'));
      assert.ok(names(contents, 'namespaces').includes('app-a'));
      const exclusions = contents.log.filter((l) => String(l.msg).startsWith('excluding item: it has label'));
      assert.ok(exclusions.some((l) => l.msg === 'excluding item: it has label kubectl-backup.io/exclude-from-backup=true' && l.resource === 'configmaps' && l.namespace === 'app-a' && l.name === 'ours-excluded'));
      assert.ok(exclusions.some((l) => l.msg === 'excluding item: it has label velero.io/exclude-from-backup=true' && l.name === 'velero-excluded'));
      assert.ok(exclusions.some((l) => l.resource === 'namespaces' && l.name === 'skip-me'));
    });

    it('stores compact JSON with kind and apiVersion, without managedFields', async () => {
      const served = await bed.client.json<KubeObject>({ method: 'GET', path: '/api/v1/namespaces/app-a/configmaps/cm-1' });
      assert.ok((served.metadata?.managedFields?.length ?? 0) > 0, 'the server has managedFields to leave out');
      const raw = contents.raw.get('resources/configmaps/namespaces/app-a/cm-1.json')!;
      const object = JSON.parse(raw) as { apiVersion: string; kind: string; metadata: Record<string, unknown> };
      assert.equal(raw, JSON.stringify(object));
      assert.equal(object.apiVersion, 'v1');
      assert.equal(object.kind, 'ConfigMap');
      assert.equal(object.metadata.managedFields, undefined);
      for (const item of contents.items.values()) assert.equal(item.metadata.managedFields, undefined);
    });

    it('writes a resource list keyed by apiVersion/Kind, and a record that counts what is in the archive', () => {
      assert.deepEqual(contents.resourceList['v1/PersistentVolume'], ['pv1', 'pv2']);
      assert.ok(contents.resourceList['v1/ConfigMap']!.includes('app-a/cm-0'));
      assert.deepEqual(contents.resourceList['example.com/v2/Widget'], ['app-a/w1']);
      const total = Object.values(contents.resourceList).reduce((n, list) => n + list.length, 0);
      assert.equal(total, contents.entries.length - 1);
      assert.equal(contents.record?.status.progress.itemsBackedUp, total);
      assert.equal(contents.record?.status.itemsByResource.configmaps, names(contents, 'configmaps').length);
      assert.equal(contents.record?.status.phase, 'Completed');
      assert.equal(contents.record?.status.formatVersion, contents.raw.get('metadata/version')?.trim(), 'the record names the version the archive has');
    });
  });

  it('--include-namespaces globs: only those namespaces, no cluster-scoped resources but the CRDs of custom resources found', async () => {
    const { contents } = await backup({ includeNamespaces: ['app-*'] });
    assert.deepEqual(namespacesOf(contents!, 'configmaps'), ['app-a', 'app-b']);
    assert.deepEqual(names(contents!, 'namespaces'), ['app-a', 'app-b']);
    assert.deepEqual(names(contents!, 'persistentvolumes'), []);
    assert.deepEqual(names(contents!, 'customresourcedefinitions.apiextensions.k8s.io'), ['widgets.example.com']);
    assert.deepEqual(names(contents!, 'gadgets.example.com'), []);
    const crdIndex = contents!.entries.indexOf('resources/customresourcedefinitions.apiextensions.k8s.io/cluster/widgets.example.com.json');
    assert.ok(crdIndex > 0 && crdIndex < contents!.entries.indexOf('resources/widgets.example.com/namespaces/app-a/w1.json'));
  });

  it('probes the custom resource types for the CRDs to add together, not one after another', async () => {
    // Each LIST of a custom resource answers late; one probe after another, they would never overlap.
    // The listing itself lists types together too: only what comes before its first LIST counts.
    let listing = false;
    let inFlight = 0;
    let mostInFlight = 0;
    const slowCustomLists: KubeClient = {
      server: bed.client.server,
      json: async <T>(req: KubeRequest) => {
        if (/\/configmaps$/.test(req.path)) listing = true;
        if (!/example\.com\/v\d\/namespaces\/[^/]+\/(widgets|things)$/.test(req.path)) return bed.client.json<T>(req);
        ++inFlight;
        if (!listing) mostInFlight = Math.max(mostInFlight, inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return await bed.client.json<T>(req);
        } finally {
          inFlight--;
        }
      },
      stream: (req) => bed.client.stream(req),
    };
    const name = bed.nextName();
    await runBackup(backupRequest(name, { includeNamespaces: ['app-*'] }), { ...bed.deps, client: slowCustomLists });
    const contents = await readBackup(bed.store, name);
    assert.deepEqual(names(contents, 'customresourcedefinitions.apiextensions.k8s.io'), ['widgets.example.com']);
    assert.ok(mostInFlight >= 2, `at most ${mostInFlight} LIST of custom resources in flight while probing`);
  });

  it('? and [abc] globs, and --exclude-namespaces winning over include', async () => {
    const { contents } = await backup({ includeNamespaces: ['db?', '[ao]*'], excludeNamespaces: ['app-b'] });
    assert.deepEqual(namespacesOf(contents!, 'configmaps'), ['app-a', 'other']);
    const { contents: db } = await backup({ includeNamespaces: ['db-?'] });
    assert.deepEqual(namespacesOf(db!, 'configmaps'), ['db-1']);
  });

  it('a namespace named in --include-namespaces that does not exist makes the backup PartiallyFailed; the others are backed up', async () => {
    const { contents, outcome } = await backup({ includeNamespaces: ['app-a', 'shop', 'nothing-*'] });
    assert.equal(outcome.phase, 'PartiallyFailed');
    assert.equal(contents!.record?.status.phase, 'PartiallyFailed');
    assert.deepEqual(contents!.results.errors.cluster, ['--include-namespaces: namespace shop does not exist']);
    assert.deepEqual(namespacesOf(contents!, 'configmaps'), ['app-a']);
  });

  it('looking for custom resources whose CRDs to add counts nothing toward the progress total', async () => {
    const expected: number[] = [];
    const progress = { ...noProgress, expect: (count: number) => void expected.push(count) };
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeNamespaces: ['app-a'], includeResources: ['widgets'], excludeResources: ['namespaces'] }), { ...bed.deps, progress });
    const contents = await readBackup(bed.store, name);
    assert.deepEqual(names(contents, 'widgets.example.com'), ['app-a/w1']);
    assert.deepEqual(names(contents, 'customresourcedefinitions.apiextensions.k8s.io'), ['widgets.example.com'], 'its CRD was found and added');
    assert.equal(outcome.totalItems, 2);
    // w1 once, and its CRD, read by name.
    assert.deepEqual(expected.sort(), [1, 1]);
  });

  it('--include-cluster-resources=true with a namespace filter takes every cluster-scoped resource', async () => {
    const { contents } = await backup({ includeNamespaces: ['app-a'], includeClusterResources: true });
    assert.deepEqual(names(contents!, 'persistentvolumes'), ['pv1', 'pv2']);
    assert.deepEqual(names(contents!, 'customresourcedefinitions.apiextensions.k8s.io').length, 3);
    assert.deepEqual(names(contents!, 'namespaces'), ['app-a']);
  });

  it('--include-cluster-resources=false takes no cluster-scoped resource (not even CRDs) but the Namespace objects', async () => {
    bed.server.requestLog.clear();
    const { contents } = await backup({ includeClusterResources: false });
    assert.ok(!bed.server.requestLog.list().some((e) => e.path.startsWith('/apis/apiextensions.k8s.io/')), 'not even the names of CRDs are read');
    assert.deepEqual(names(contents!, 'persistentvolumes'), []);
    assert.deepEqual(names(contents!, 'customresourcedefinitions.apiextensions.k8s.io'), []);
    assert.deepEqual(names(contents!, 'gadgets.example.com'), []);
    assert.ok(names(contents!, 'namespaces').includes('app-a'));
    assert.deepEqual(names(contents!, 'widgets.example.com'), ['app-a/w1']);
  });

  it('--include-resources by short, singular and kind names; unknown names are warnings', async () => {
    const { contents, outcome } = await backup({ includeResources: ['cm', 'Secret', 'foos'] });
    const types = new Set(contents!.entries.slice(1).map((e) => e.split('/')[1]));
    assert.deepEqual([...types].sort(), ['configmaps', 'namespaces', 'secrets']);
    assert.equal(outcome.warnings, 1);
    assert.match(contents!.results.warnings.cluster[0]!, /--include-resources: "foos" matches no resource/);
    assert.equal(contents!.record?.status.phase, 'Completed');
  });

  it('--exclude-resources wins, and excluding CRDs keeps them out even for custom resources', async () => {
    const { contents } = await backup({ includeNamespaces: ['app-a'], excludeResources: ['secrets', 'crd'] });
    assert.deepEqual(names(contents!, 'secrets'), []);
    assert.deepEqual(names(contents!, 'customresourcedefinitions.apiextensions.k8s.io'), []);
    assert.deepEqual(names(contents!, 'widgets.example.com'), ['app-a/w1']);
  });

  it('-l is sent to the API server', async () => {
    bed.server.requestLog.clear();
    const { contents } = await backup({ labelSelector: 'app=web', includeNamespaces: ['app-a'] });
    assert.deepEqual(names(contents!, 'configmaps'), ['app-a/cm-0', 'app-a/cm-3', 'app-a/cm-6', 'app-a/cm-9']);
    const lists = bed.server.requestLog.list().filter((e) => e.path.endsWith('/configmaps'));
    assert.ok(lists.length > 0 && lists.every((e) => new URLSearchParams(e.query).get('labelSelector') === 'app=web'));
  });

  it('takes the Namespace objects of included namespaces, and the CRDs of custom resources taken, whatever -l or --or-selector select', async () => {
    await bed.server.seed([customResource('Thing', 't-web', 'app-b', { app: 'web' })]);
    const { contents } = await backup({ labelSelector: 'app=web', includeNamespaces: ['app-*'] });
    assert.deepEqual(names(contents!, 'namespaces'), ['app-a', 'app-b']);
    assert.deepEqual(names(contents!, 'things.example.com'), ['app-b/t-web']);
    assert.deepEqual(names(contents!, 'customresourcedefinitions.apiextensions.k8s.io'), ['things.example.com']);
    const either = await backup({ orSelectors: ['app=web', 'tier=db'], includeNamespaces: ['db-1'] });
    assert.deepEqual(names(either.contents!, 'namespaces'), ['db-1']);
  });

  it('--or-selector lists once per selector and keeps each item once', async () => {
    bed.server.requestLog.clear();
    const expected: number[] = [];
    const progress = { ...noProgress, expect: (count: number) => void expected.push(count) };
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { orSelectors: ['app=web', 'tier=db', 'app in (web)'], includeNamespaces: ['app-a'] }), { ...bed.deps, progress });
    const contents = await readBackup(bed.store, name);
    // Every item listed counts once, whatever selectors list it: those backed up, and velero-excluded, listed then left out.
    assert.equal(expected.reduce((a, b) => a + b, 0), outcome.totalItems + 1, 'the progress total counts an item that two selectors list once');
    assert.deepEqual(names(contents!, 'configmaps'), ['app-a/cm-0', 'app-a/cm-1', 'app-a/cm-10', 'app-a/cm-3', 'app-a/cm-4', 'app-a/cm-6', 'app-a/cm-7', 'app-a/cm-9']);
    const selectors = bed.server.requestLog
      .list()
      .filter((e) => e.path === '/api/v1/namespaces/app-a/configmaps')
      .map((e) => new URLSearchParams(e.query).get('labelSelector'));
    assert.deepEqual(selectors.sort(), ['app in (web)', 'app=web', 'tier=db']);
  });

  it('--ordered-resources puts the listed items first, in order, and warns about missing ones', async () => {
    const { contents, outcome } = await backup({
      includeClusterResources: true,
      orderedResources: { configmaps: ['app-b/cm-2', 'app-a/cm-9', 'app-a/missing'], pv: ['pv2'] },
    });
    assert.deepEqual(names(contents!, 'persistentvolumes'), ['pv2', 'pv1']);
    const cms = names(contents!, 'configmaps');
    assert.deepEqual(cms.slice(0, 2), ['app-b/cm-2', 'app-a/cm-9']);
    assert.equal(cms.filter((n) => n === 'app-a/cm-9').length, 1, 'an ordered item is written once');
    assert.ok(cms.indexOf('app-a/cm-0') === 2);
    assert.equal(outcome.warnings, 1);
    assert.deepEqual(contents!.results.warnings.namespaces['app-a'], ['ordered resource configmaps app-a/missing not found']);
    assert.deepEqual(contents!.record?.spec.orderedResources, { configmaps: 'app-b/cm-2,app-a/cm-9,app-a/missing', pv: 'pv2' });
  });

  it('--ordered-resources with a selector takes first only the items the selector selects, each read with a LIST by name', async () => {
    bed.server.requestLog.clear();
    const { contents, outcome } = await backup({ labelSelector: 'app=web', includeNamespaces: ['app-a'], orderedResources: { configmaps: ['app-a/cm-9', 'app-a/cm-1', 'app-a/missing'] } });
    const cms = names(contents!, 'configmaps');
    assert.deepEqual(cms.slice(0, 2), ['app-a/cm-9', 'app-a/cm-0'], 'cm-9 (app=web) first; cm-1 (tier=db) not at all');
    assert.ok(!cms.includes('app-a/cm-1'));
    assert.deepEqual(contents!.results.warnings.namespaces['app-a'], ['ordered resource configmaps app-a/missing not found']);
    assert.equal(outcome.warnings, 1);
    const asked = bed.server.requestLog.list().filter((e) => e.method === 'GET');
    assert.ok(!asked.some((e) => e.path.startsWith('/api/v1/namespaces/app-a/configmaps/')), 'no item read with get');
    const byName = asked.filter((e) => e.path === '/api/v1/namespaces/app-a/configmaps' && new URLSearchParams(e.query).has('fieldSelector'));
    assert.deepEqual(byName.map((e) => [new URLSearchParams(e.query).get('fieldSelector'), new URLSearchParams(e.query).get('labelSelector')]), [
      ['metadata.name=cm-9', 'app=web'],
      ['metadata.name=cm-1', 'app=web'],
      ['metadata.name=cm-1', null],
      ['metadata.name=missing', 'app=web'],
      ['metadata.name=missing', null],
    ]);
  });

  it('leaves out items being deleted', async () => {
    await bed.server.seed([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'going', namespace: 'other', finalizers: ['example.com/hold'] }, data: {} }]);
    await bed.client.json({ method: 'DELETE', path: '/api/v1/namespaces/other/configmaps/going' });
    const going = await bed.client.json<KubeObject>({ method: 'GET', path: '/api/v1/namespaces/other/configmaps/going' });
    assert.ok(going.metadata.deletionTimestamp, 'its finalizer keeps it listed, being deleted');
    const { contents } = await backup({ includeNamespaces: ['other'] });
    assert.ok(!names(contents!, 'configmaps').includes('other/going'));
    assert.ok(names(contents!, 'configmaps').includes('other/cm-0'));
  });

  it('--dry-run counts per resource and writes nothing', async () => {
    const { outcome, name } = await backup({ includeNamespaces: ['app-a'] }, { dryRun: true });
    assert.equal(outcome.dryRun, true);
    assert.equal(outcome.itemsByResource.configmaps, 14);
    assert.equal(outcome.itemsByResource.namespaces, 1);
    assert.equal(outcome.record, undefined);
    assert.deepEqual(await keysOf(bed.store, name), []);
  });

  it('a malformed selector is bad input, said before anything is written', async () => {
    const name = bed.nextName();
    await assert.rejects(
      runBackup(backupRequest(name, { labelSelector: 'app in (web' }), bed.deps),
      (err: unknown) => err instanceof BadInputError && /invalid --selector "app in \(web"/.test(err.message),
    );
    assert.deepEqual(await keysOf(bed.store, name), []);
  });

  describe('with every namespace and a selector', () => {
    // A cluster of its own: these CRDs would be in every other test's backups.
    let own: BackupTestbed;
    const crds = 'customresourcedefinitions.apiextensions.k8s.io';
    const webCrd = (plural: string, kind: string) => {
      const object = crd(plural, kind);
      object.metadata.labels = { app: 'web' };
      return object;
    };

    before(async () => {
      own = await startBackupTestbed('s', 'backup-filters-crds-');
      await own.server.seed([namespace('shop'), namespace('ops'), webCrd('sprockets', 'Sprocket'), crd('cogs', 'Cog'), crd('things', 'Thing'), webCrd('banners', 'Banner')]);
      await own.server.seed([
        customResource('Sprocket', 's-web', 'shop', { app: 'web' }),
        customResource('Thing', 't-web', 'shop', { app: 'web' }),
        customResource('Cog', 'c-db', 'ops', { tier: 'db' }),
        customResource('Cog', 'c-none', 'ops'),
      ]);
    });
    after(() => own?.close());

    async function backupAll(filters: Partial<BackupRequest['filters']>): Promise<BackupContents> {
      const name = own.nextName();
      await runBackup(backupRequest(name, filters), own.deps);
      return readBackup(own.store, name);
    }

    it('-l takes the CRDs of the custom resources it selects, besides the CRDs it selects, each once', async () => {
      const web = await backupAll({ labelSelector: 'app=web' });
      assert.deepEqual(names(web, 'sprockets.example.com'), ['shop/s-web']);
      assert.deepEqual(names(web, 'cogs.example.com'), []);
      // banners: labelled, without custom resources; sprockets: labelled and needed; things: needed, not labelled.
      assert.deepEqual(names(web, crds), ['banners.example.com', 'sprockets.example.com', 'things.example.com']);
    });

    it('--or-selector takes the CRDs of the custom resources any selector selects, each once, before them', async () => {
      const either = await backupAll({ orSelectors: ['app=web', 'tier=db'] });
      assert.deepEqual(names(either, 'cogs.example.com'), ['ops/c-db']);
      assert.deepEqual(names(either, crds), ['banners.example.com', 'cogs.example.com', 'sprockets.example.com', 'things.example.com']);
      assert.ok(either.entries.indexOf(`resources/${crds}/cluster/cogs.example.com.json`) < either.entries.indexOf('resources/cogs.example.com/namespaces/ops/c-db.json'));
    });

    it('a selector matching no custom resource takes only the CRDs it selects', async () => {
      const none = await backupAll({ labelSelector: 'app=nothing' });
      assert.deepEqual(names(none, crds), []);
    });
  });
});
