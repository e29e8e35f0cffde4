import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import { HttpKubeClient, type KubeClient, type KubeRequest } from '../../src/kube/client.js';
import { readBackup } from '../builders/backup-artifacts.js';
import { configMap, namespace, payload } from '../builders/backup-objects.js';
import { listPages } from '../../src/backup/collection-lister.js';
import { backupRequest, runBackup } from '../builders/backup-run.js';
import { startBackupTestbed, type BackupTestbed } from '../builders/backup-testbed.js';

/** A client that runs a hook before each request: lets a test change the cluster mid-backup. */
class HookedClient implements KubeClient {
  constructor(
    private readonly inner: KubeClient,
    private readonly before: (req: KubeRequest) => void | Promise<void>,
  ) {}
  get server(): string {
    return this.inner.server;
  }
  async json<T>(req: KubeRequest): Promise<T> {
    await this.before(req);
    return this.inner.json<T>(req);
  }
  async stream(req: KubeRequest): Promise<Readable> {
    await this.before(req);
    return this.inner.stream(req);
  }
}

/** Pagination, 410 relists and transient faults of the API server, seen through the request log. */
describe('backup listing: pages, expired continue tokens, faults', function () {
  this.timeout(60_000);
  let bed: BackupTestbed;
  const namespaces = ['a', 'a-b', 'b', 'c'];
  const perNamespace = 25;

  before(async () => {
    bed = await startBackupTestbed('l', 'backup-listing-');
    const objects = namespaces.map((ns) => namespace(ns));
    for (const ns of namespaces) for (let i = 0; i < perNamespace; i++) objects.push(configMap(ns, `cm-${String(i).padStart(2, '0')}`));
    await bed.server.seed(objects);
  });
  beforeEach(() => {
    bed.server.faults.clear();
    bed.server.requestLog.clear();
  });
  after(() => bed.close());

  const configMapLists = () => bed.server.requestLog.list().filter((e) => e.method === 'GET' && e.path === '/api/v1/configmaps');
  const query = (e: { query: string }) => new URLSearchParams(e.query);

  async function backup(overrides: { pageSize?: number; client?: KubeClient; includeNamespaces?: string[] } = {}) {
    const name = bed.nextName();
    const filters = { includeResources: ['configmaps'], ...(overrides.includeNamespaces ? { includeNamespaces: overrides.includeNamespaces } : {}) };
    const outcome = await runBackup(backupRequest(name, filters, { pageSize: overrides.pageSize ?? 10 }), { ...bed.deps, client: overrides.client ?? bed.client });
    const contents = await readBackup(bed.store, name);
    const cms = contents.entries.filter((e) => e.startsWith('resources/configmaps/'));
    return { outcome, contents, cms };
  }

  const expected = namespaces.length * perNamespace + namespaces.length; // + kube-root-ca.crt of each
  const assertEveryItemOnce = (cms: string[]) => {
    assert.equal(new Set(cms).size, cms.length, 'no item twice');
    assert.ok(cms.length >= expected, `at least ${expected} configmaps, got ${cms.length}`);
  };

  it('asks pages of the given size with continue tokens', async () => {
    const { cms } = await backup({ pageSize: 10 });
    const lists = configMapLists();
    assert.ok(lists.length >= Math.ceil(cms.length / 10));
    assert.ok(lists.every((e) => query(e).get('limit') === '10'));
    assert.equal(lists.filter((e) => !query(e).has('continue')).length, 1);
    assertEveryItemOnce(cms);
  });

  it('with page size 0 lists without limit, in one request', async () => {
    const { cms } = await backup({ pageSize: 0 });
    const lists = configMapLists();
    assert.equal(lists.length, 1);
    assert.ok(!query(lists[0]!).has('limit'));
    assert.ok(!query(lists[0]!).has('continue'));
    assertEveryItemOnce(cms);
    const nsList = bed.server.requestLog.list().filter((e) => e.path === '/api/v1/namespaces' && !query(e).has('labelSelector'));
    assert.ok(nsList.every((e) => !query(e).has('limit')), 'every LIST follows the page size');
  });

  it('writes items in the same order whether listed in pages across namespaces, unpaginated, or namespace by namespace', async () => {
    const inAandAB = (cms: string[]) => cms.filter((e) => /^resources\/configmaps\/namespaces\/(a|a-b)\//.test(e));
    const paged = inAandAB((await backup({ pageSize: 10 })).cms);
    assert.match(paged[0]!, /\/namespaces\/a-b\//, 'the server order: "a-b/" before "a/"');
    assert.deepEqual(inAandAB((await backup({ pageSize: 0 })).cms), paged);
    const byNamespace = await backup({ pageSize: 10, includeNamespaces: ['a', 'a-b'] });
    assert.ok(bed.server.requestLog.list().some((e) => e.path === '/api/v1/namespaces/a-b/configmaps'), 'listed namespace by namespace');
    assert.deepEqual(inAandAB(byNamespace.cms), paged);
  });

  it('relists from the start after 410 Gone on a continue token, without writing an item twice', async () => {
    bed.server.faults.add({ method: 'GET', path: '^/api/v1/configmaps$', query: { continue: true }, status: 410, skip: 3, times: 1 });
    const { cms, contents } = await backup({ pageSize: 10 });
    const lists = configMapLists();
    assert.ok(lists.some((e) => e.status === 410));
    assert.equal(lists.filter((e) => !query(e).has('continue')).length, 2, 'the list started over once');
    assertEveryItemOnce(cms);
    assert.ok(contents.log.some((l) => String(l.msg).startsWith('continue token expired')));
  });

  it('relists when the server compacts mid-list, skipping taken items even when the cluster changed meanwhile', async () => {
    let pages = 0;
    const hooked = new HookedClient(bed.client, async (req) => {
      if (req.path !== '/api/v1/configmaps' || req.query?.continue === undefined) return;
      pages++;
      if (pages === 4) {
        // Taken already (before the position), and new items on both sides of it.
        await bed.client.json({ method: 'DELETE', path: '/api/v1/namespaces/a/configmaps/cm-00' });
        await bed.server.seed([configMap('a', 'cm-000-new')]);
        bed.server.expireContinueTokens();
        // Also moves the resourceVersion past the compaction, so the relist's own tokens are fresh.
        await bed.server.seed([configMap('c', 'cm-99-new')]);
      }
    });
    const { cms, outcome } = await backup({ pageSize: 10, client: hooked });
    assert.ok(configMapLists().some((e) => e.status === 410));
    assert.equal(new Set(cms).size, cms.length, 'no item twice');
    assert.ok(cms.includes('resources/configmaps/namespaces/a/cm-00.json'), 'taken before it was deleted');
    assert.ok(cms.includes('resources/configmaps/namespaces/c/cm-99-new.json'), 'created after the position: taken');
    assert.equal(outcome.errors, 0);
  });

  it('relists after 410 without losing a name that UTF-16 sorts before one taken and the server after it (`r😀` after `r！`)', async () => {
    // Role names are path segments, which may hold any character but '/' and '%'.
    const roles = ['ra', 'r！', 'r😀'];
    await bed.server.seed([namespace('unicode'), ...roles.map((name) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'unicode' }, rules: [] }))]);
    bed.server.faults.add({ method: 'GET', path: '/roles$', query: { continue: true }, status: 410, times: 1 });
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeResources: ['roles'], includeNamespaces: ['unicode'] }, { pageSize: 2 }), bed.deps);
    const contents = await readBackup(bed.store, name);
    assert.ok(bed.server.requestLog.list().some((e) => e.path.endsWith('/roles') && e.status === 410), 'the LIST was answered 410 after its first page');
    const written = contents.entries.filter((e) => e.includes('/roles.rbac.authorization.k8s.io/'));
    assert.equal(written.length, roles.length, written.join('\n'));
    assert.equal(outcome.errors, 0);
  });

  for (const [what, fault] of [
    ['429 with Retry-After', { status: 429, retryAfterSeconds: 1 }],
    ['503', { status: 503 }],
    ['a reset connection', { reset: true }],
    ['a connection reset mid-page', { reset: 'mid-body' as const }],
  ] as const) {
    it(`survives ${what} on a page`, async () => {
      bed.server.faults.add({ method: 'GET', path: '^/api/v1/configmaps$', query: { continue: true }, skip: 2, times: 'retryAfterSeconds' in fault ? 1 : 2, ...fault });
      const { cms, outcome } = await backup({ pageSize: 10 });
      assert.ok(bed.server.requestLog.list().some((e) => e.fault !== undefined), 'the fault was injected');
      assertEveryItemOnce(cms);
      assert.equal(outcome.errors, 0);
      assert.equal(outcome.phase, 'Completed');
    });
  }

  it('a LIST that keeps failing is an error of its type; the backup ends PartiallyFailed with the rest written', async () => {
    bed.server.faults.add({ method: 'GET', path: '^/api/v1/secrets$', status: 503, times: Infinity });
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeResources: ['configmaps', 'secrets'] }, { pageSize: 10 }), bed.deps);
    assert.equal(outcome.phase, 'PartiallyFailed');
    const contents = await readBackup(bed.store, name);
    assert.equal(contents.record?.status.phase, 'PartiallyFailed');
    assert.equal(contents.record?.status.errors, 1);
    assert.match(contents.results.errors.cluster[0]!, /cannot list secrets: GET \/api\/v1\/secrets: 503/);
    assert.ok(contents.entries.filter((e) => e.startsWith('resources/configmaps/')).length >= expected);
  });

  it('a failing LIST of one namespace is grouped under that namespace', async () => {
    bed.server.faults.add({ method: 'GET', path: '^/api/v1/namespaces/b/configmaps$', status: 500, times: Infinity });
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeResources: ['configmaps'], includeNamespaces: ['a', 'b'] }, { pageSize: 10 }), bed.deps);
    assert.equal(outcome.phase, 'PartiallyFailed');
    assert.deepEqual(Object.keys(outcome.results.errors.namespaces), ['b']);
    assert.match(outcome.results.errors.namespaces.b![0]!, /cannot list configmaps in namespace b/);
    assert.equal(outcome.itemsByResource.configmaps, perNamespace + 1);
  });

  it('asks fewer items per page when items are large, and a page far too large again with fewer, each item once', async () => {
    const big = Array.from({ length: 30 }, (_, i) => configMap('big', `cm-${String(i).padStart(2, '0')}`, { size: 'big' }, payload(10_000)));
    await bed.server.seed([namespace('big'), ...big]);
    bed.server.requestLog.clear();
    const names: string[] = [];
    const target = { path: '/api/v1/namespaces/big/configmaps', labelSelector: 'size=big' };
    // Each item is ~10 KB: a page aims at 50 KB (4 items) and one over 120 KB is dropped.
    for await (const page of listPages(bed.client, target, { pageSize: 500, pageBytes: 50_000, maxPageBytes: 120_000 })) names.push(...page.items.map((item) => item.metadata!.name!));
    assert.deepEqual(names, big.map((cm) => cm.metadata!.name!), 'every item once, in order');
    const limits = bed.server.requestLog.list().filter((e) => e.path === target.path).map((e) => Number(query(e).get('limit')));
    assert.deepEqual(limits.slice(0, 3), [500, 62, 7], 'the first page is too large twice: 500, then 500/8, then 62/8 items');
    assert.deepEqual(new Set(limits.slice(3)), new Set([4]), 'then as many as make ~50 KB');
    assert.equal(limits.length, 3 + Math.ceil((30 - 7) / 4));
  });

  it('sends the reads the plan needs together, and reads namespaces and CRD names as metadata only', async () => {
    const started: string[] = [];
    let discoveryDone = false;
    let namespacesAskedDuringDiscovery = false;
    const client = new HookedClient(bed.client, async (req) => {
      started.push(`${req.path} ${req.accept ?? ''}`);
      if (req.path === '/apis') {
        // Discovery answers late: the other reads must not wait for it.
        await new Promise((resolve) => setTimeout(resolve, 150));
        discoveryDone = true;
      }
      if (req.path === '/api/v1/namespaces' && !discoveryDone) namespacesAskedDuringDiscovery = true;
    });
    const { outcome } = await backup({ client });
    assert.equal(outcome.phase, 'Completed');
    assert.ok(namespacesAskedDuringDiscovery, started.join('\n'));
    const partial = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
    assert.ok(started.includes(`/api/v1/namespaces ${partial}`), started.join('\n'));
    assert.ok(started.includes(`/apis/apiextensions.k8s.io/v1/customresourcedefinitions ${partial}`), started.join('\n'));
    assert.ok(started.includes('/api/v1/configmaps '), 'the items themselves are read whole');
  });

  it('writes the same archive when the API server sends its pages compressed', async () => {
    await bed.server.seed([namespace('zip'), ...Array.from({ length: 40 }, (_, i) => configMap('zip', `cm-${String(i).padStart(2, '0')}`, {}, payload(8_000)))]);
    const compressing = new HttpKubeClient({ server: bed.server.url, headers: async () => ({ Authorization: `Bearer ${bed.server.token}` }), tls: {} }, { compression: true });
    const zipPages = () => bed.server.requestLog.list().filter((e) => e.path === '/api/v1/namespaces/zip/configmaps');
    const plain = await backup({ pageSize: 500, includeNamespaces: ['zip'] });
    assert.deepEqual(zipPages().map((e) => e.contentEncoding), [undefined], 'the loopback default asks for no compression');
    bed.server.requestLog.clear();
    const compressed = await backup({ pageSize: 500, includeNamespaces: ['zip'], client: compressing });
    // The page is over the 128 KiB from which the server compresses for a client that asks.
    assert.deepEqual(zipPages().map((e) => e.contentEncoding), ['gzip'], 'the page came compressed');
    assert.equal(compressed.outcome.phase, 'Completed');
    assert.deepEqual(compressed.cms, plain.cms);
    for (const entry of plain.cms) assert.deepEqual(compressed.contents.raw.get(entry), plain.contents.raw.get(entry), entry);
  });
});
