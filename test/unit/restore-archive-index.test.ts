import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { InvalidArchiveError } from '../../src/archive/archive-errors.js';
import { readArchive } from '../../src/archive/archive-reader.js';
import { nestingExceeds } from '../../src/archive/json-nesting.js';
import { defaultFilters } from '../../src/backup/backup-request.js';
import { ExitCode } from '../../src/errors.js';
import { indexArchive, maxItemNesting, type ArchiveIndex, type IndexOptions } from '../../src/restore/archive-index.js';
import { ItemSpool } from '../../src/restore/item-spool.js';
import { parseLabelSelector } from '../../src/kube/label-selector.js';
import { spoolScope } from '../../src/restore/spool-scope.js';
import { formatVersion, itemEntry, versionEntry } from '../../src/archive/archive-paths.js';
import { backupArchive, tarGz, type ArchiveObject } from '../builders/restore-archive.js';
import { configMap, item, namespaceItem, ownedBy, persistentVolume, volumesOfEveryPolicy } from '../builders/restore-objects.js';
import { earlyPreparation } from '../../src/restore/early-preparation.js';
import { preparationSettings } from '../../src/restore/item-preparation.js';
import type { KubeObject } from '../../src/kube/types.js';

describe('restore: archive index', () => {
  let dir: string;
  let spools = 0;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'archive-index-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  async function indexOf(archive: Buffer, options: IndexOptions = {}): Promise<{ index: ArchiveIndex; spool: ItemSpool; file: string }> {
    const file = path.join(dir, `spool-${spools++}`);
    const spool = await ItemSpool.create(file);
    try {
      return { index: await indexArchive(readArchive(Readable.from([archive]), { name: 'a.tar.gz' }), spool, 'a.tar.gz', options), spool, file };
    } catch (err) {
      await spool.close();
      throw err;
    }
  }

  async function assertRefused(archive: Buffer, pattern: RegExp, options: IndexOptions = {}): Promise<void> {
    await assert.rejects(indexOf(archive, options), (err: unknown) => {
      assert.ok(err instanceof InvalidArchiveError, String(err));
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, pattern);
      return true;
    });
  }

  /** An item of `depth` nested objects (JSON.parse takes it; JSON.stringify does not). */
  function nested(name: string, depth: number): Buffer {
    const head = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns1' } }).slice(0, -1);
    return Buffer.from(`${head},"deep":${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}}`);
  }

  it('refuses an archive with more items than the limit, copies of one item counted once', async () => {
    const objects: ArchiveObject[] = [configMap('ns1', 'a'), configMap('ns1', 'b'), configMap('ns1', 'c')];
    await assertRefused(await backupArchive(objects), /is not a valid backup archive: it holds more than 2 items$/, { maxItems: 2 });
    const { index, spool } = await indexOf(await backupArchive(objects, { veleroVersionFolders: true }), { maxItems: 3 });
    await spool.close();
    assert.equal(index.itemCount, 3);
  });

  it('refuses an item nested deeper than Kubernetes allows, before parsing it, and takes one at the limit', async () => {
    const version = { name: 'metadata/version', body: '1.1.0\n' };
    const deep = (depth: number) => tarGz([version, { name: 'resources/configmaps/namespaces/ns1/deep.json', body: nested('deep', depth) }]);
    // The item's own object is the first level.
    await assertRefused(await deep(maxItemNesting), /entry "resources\/configmaps\/namespaces\/ns1\/deep\.json" nests arrays and objects more than 10000 levels deep \(Kubernetes' limit\)/);
    const { index, spool } = await indexOf(await deep(maxItemNesting - 1));
    await spool.close();
    assert.equal(index.itemCount, 1);
  });

  it('refuses an entry that appears twice (an extractor would keep the last copy, the index the first)', async () => {
    const version = { name: 'metadata/version', body: '1.1.0\n' };
    const entry = 'resources/configmaps/namespaces/ns1/twice.json';
    const body = (value: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'twice', namespace: 'ns1' }, data: { value } });
    await assertRefused(await tarGz([version, { name: entry, body: body('first') }, { name: entry, body: body('second') }]), /entry "resources\/configmaps\/namespaces\/ns1\/twice\.json" appears twice$/);
    const preferred = 'resources/configmaps/v1-preferredversion/namespaces/ns1/twice.json';
    await assertRefused(await tarGz([version, { name: preferred, body: body('first') }, { name: preferred, body: body('second') }]), /appears twice$/);
  });

  it('counts brackets outside strings only', () => {
    assert.equal(nestingExceeds(Buffer.from(`{"a":"${'['.repeat(50)}\\"${'{'.repeat(50)}"}`), 10), false);
    assert.equal(nestingExceeds(Buffer.from(`${'['.repeat(11)}"x"${']'.repeat(11)}`), 10), true);
    assert.equal(nestingExceeds(Buffer.from(`${'['.repeat(10)}"${' '.repeat(20)}"${']'.repeat(10)}`), 10), false);
    // Not JSON: left to JSON.parse.
    assert.equal(nestingExceeds(Buffer.from(`${'['.repeat(5)}"unterminated${' '.repeat(30)}`), 10), false);
    // Long, but with no more opening brackets than the limit: not scanned, and not too deep.
    assert.equal(nestingExceeds(Buffer.from(`{"a":[{"b":"${'x'.repeat(1000)}"}]}`), 10), false);
    assert.equal(nestingExceeds(Buffer.from(`${'{"a":'.repeat(6)}${'[ '.repeat(5)}1${' ]'.repeat(5)}${'}'.repeat(6)}${' '.repeat(40)}`), 10), true, 'braces and brackets count together');
  });

  it('spools only the items the filters may select, and indexes every item', async () => {
    const objects: ArchiveObject[] = [
      namespaceItem('keep'),
      namespaceItem('drop'),
      configMap('keep', 'a', undefined, { labels: { app: 'x' } }),
      configMap('keep', 'unlabelled'),
      configMap('drop', 'b', undefined, { labels: { app: 'x' } }),
      item('storageclasses.storage.k8s.io', 'storage.k8s.io/v1', 'StorageClass', 'fast', undefined),
    ];
    const filters = { ...defaultFilters, includeNamespaces: ['keep'] };
    const { index, spool, file } = await indexOf(await backupArchive(objects), { selector: parseLabelSelector('app=x'), scope: spoolScope(filters) });
    assert.equal(index.itemCount, objects.length);
    const all = [...index.byResource.values()].flat();
    const spooled = all.filter((i) => i.offset >= 0).map((i) => `${i.resource} ${i.namespace ?? ''}/${i.name}`);
    assert.deepEqual(spooled.sort(), ['configmaps keep/a', 'namespaces /keep', 'storageclasses.storage.k8s.io /fast']);
    const bytes = all.filter((i) => i.offset >= 0).reduce((sum, i) => sum + i.length, 0);
    assert.equal((await fs.stat(file)).size, bytes);
    const left = all.find((i) => i.name === 'b')!;
    assert.throws(() => spool.read(left), /the item was not spooled/);
    assert.equal(JSON.parse(spool.read(all.find((i) => i.name === 'a')!).toString('utf8')).metadata.name, 'a');
    await spool.close();

    const noCluster = await indexOf(await backupArchive(objects), { scope: spoolScope({ ...filters, includeClusterResources: false }) });
    await noCluster.spool.close();
    const clusterSpooled = [...noCluster.index.byResource.values()].flat().filter((i) => i.namespace === undefined && i.offset >= 0);
    assert.deepEqual(clusterSpooled.map((i) => i.name), ['keep']);
  });

  it('spools an item ready to send when it can be prepared, and as the archive holds it otherwise, with the same index entry', async () => {
    const owner = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'web', 'ns1');
    const objects: ArchiveObject[] = [namespaceItem('ns1'), configMap('ns1', 'plain', undefined, { labels: { app: 'x' } }), item('pods', 'v1', 'Pod', 'web-1', 'ns1', {}, { ...ownedBy(owner), labels: { app: 'x' } })];
    const prepare = earlyPreparation(preparationSettings({ name: 'r1', backupName: 'b1', namespaceMappings: new Map([['ns1', 'ns2']]), preserveNodePorts: false }));
    const plain = await indexOf(await backupArchive(objects), { selector: parseLabelSelector('app=x') });
    const early = await indexOf(await backupArchive(objects), { selector: parseLabelSelector('app=x'), prepare });
    const entries = (index: ArchiveIndex) => [...index.byResource.values()].flat();
    for (const [before, after] of entries(plain.index).map((entry, i) => [entry, entries(early.index)[i]!] as const)) {
      // Everything but where the item is and how it is spooled is read before preparing changes it.
      const { offset: _o, length: _l, prepared: _p, ...indexed } = after;
      const { offset: _o2, length: _l2, prepared: _p2, ...expected } = before;
      assert.deepEqual(indexed, expected);
      assert.equal(before.prepared, false);
    }
    const read = (entry: { name: string }) => JSON.parse(early.spool.read(entries(early.index).find((e) => e.name === entry.name)!).toString('utf8')) as KubeObject;
    const cm = entries(early.index).find((e) => e.name === 'plain')!;
    assert.equal(cm.prepared, true);
    assert.equal(read(cm).metadata.namespace, 'ns2');
    assert.equal(read(cm).metadata.uid, undefined);
    assert.equal(entries(early.index).find((e) => e.name === 'ns2')?.prepared, undefined, 'entries keep the names the archive gives');
    assert.equal(entries(early.index).find((e) => e.name === 'ns1')?.prepared, true);
    const pod = entries(early.index).find((e) => e.name === 'web-1')!;
    assert.equal(pod.prepared, false);
    assert.equal(read(pod).metadata.namespace, 'ns1');
    assert.ok(read(pod).metadata.uid);
    await plain.spool.close();
    await early.spool.close();
  });

  describe('volumes provisioned anew', () => {
    const objects = volumesOfEveryPolicy();
    const names = ['pv-delete', 'pv-retain', 'pv-recycle', 'pv-unset', 'pv-missing'];

    it('are those of the backup with reclaim policy Delete, whatever the filters leave out of the spool', async () => {
      const all = await indexOf(await backupArchive(objects));
      await all.spool.close();
      assert.deepEqual(names.filter((name) => all.index.volumesProvisionedAnew.has(name)), ['pv-delete']);
      // Filtered out or not in the backup: the claim keeps its binding (the volume may be made by the user).
      const namespacedOnly = await indexOf(await backupArchive(objects), { scope: spoolScope({ ...defaultFilters, includeNamespaces: ['a'], includeClusterResources: false }) });
      await namespacedOnly.spool.close();
      assert.ok([...namespacedOnly.index.byResource.get('persistentvolumes')!].every((pv) => pv.offset < 0), 'the volumes are not spooled');
      assert.deepEqual(names.filter((name) => namespacedOnly.index.volumesProvisionedAnew.has(name)), ['pv-delete']);
    });

    it('are told by the copy of each volume that is kept, whichever copy is read first', async () => {
      const body = (policy: string) => JSON.stringify(persistentVolume('pv', 'data', policy).object);
      const plain = itemEntry({ resource: 'persistentvolumes', name: 'pv' });
      const preferred = 'resources/persistentvolumes/v1-preferredversion/cluster/pv.json';
      const other = 'resources/persistentvolumes/v1beta1/cluster/pv.json';
      const provisionedAnew = async (entries: { name: string; body: string }[]) => {
        const { index, spool } = await indexOf(await tarGz([{ name: versionEntry, body: `${formatVersion}\n` }, ...entries]));
        await spool.close();
        assert.equal(index.itemCount, 1);
        return index.volumesProvisionedAnew.has('pv');
      };
      // The plain path is the copy kept, then Velero's preferred version.
      assert.equal(await provisionedAnew([{ name: preferred, body: body('Delete') }, { name: plain, body: body('Retain') }]), false);
      assert.equal(await provisionedAnew([{ name: preferred, body: body('Retain') }, { name: plain, body: body('Delete') }]), true);
      assert.equal(await provisionedAnew([{ name: other, body: body('Delete') }, { name: preferred, body: body('Retain') }]), false);
      assert.equal(await provisionedAnew([{ name: plain, body: body('Retain') }, { name: preferred, body: body('Delete') }]), false);
    });
  });
});
