import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { readBackup } from '../builders/backup-artifacts.js';
import { configMap, crd, customResource, namespace } from '../builders/backup-objects.js';
import { backupRequest, runBackup } from '../builders/backup-run.js';
import { startBackupTestbed, type BackupTestbed } from '../builders/backup-testbed.js';

/**
 * Types a backup takes by name (CRDs of the custom resources taken, Namespace objects): read one
 * by one (each a LIST of one name, so that the runner needs only list), or listed whole when many.
 */
describe('backup of the objects a type is taken by name for', function () {
  this.timeout(60_000);
  let bed: BackupTestbed;
  const many = Array.from({ length: 70 }, (_, i) => `many-${String(i).padStart(2, '0')}`);

  before(async () => {
    bed = await startBackupTestbed('n', 'backup-by-name-');
    await bed.server.seed([namespace('app'), ...many.map((ns) => namespace(ns)), crd('widgets', 'Widget'), crd('gadgets', 'Gadget'), crd('things', 'Thing')]);
    await bed.server.seed([customResource('Widget', 'w1', 'app'), customResource('Thing', 't1', 'many-00'), configMap('app', 'cm')]);
  });
  beforeEach(() => bed.server.requestLog.clear());
  after(() => bed.close());

  const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';
  const requests = () => bed.server.requestLog.list().filter((e) => e.method === 'GET');
  /** The names read one by one from the collection at `path`. */
  const readByName = (path: string) => requests().filter((e) => e.path === path).map((e) => new URLSearchParams(e.query).get('fieldSelector')).filter((f) => f !== null);
  const fieldSelector = (name: string) => `^metadata\\.name=${name.replace(/\./g, '\\.')}$`;
  const entries = async (name: string, resource: string) =>
    (await readBackup(bed.store, name)).entries.filter((e) => e.startsWith(`resources/${resource}/`)).map((e) => e.split('/').pop()!.replace(/\.json$/, ''));

  it('reads the CRDs of the custom resources taken, and the Namespace objects of a few namespaces, by name', async () => {
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeNamespaces: ['app'] }), bed.deps);
    assert.equal(outcome.phase, 'Completed');
    assert.deepEqual(await entries(name, 'customresourcedefinitions.apiextensions.k8s.io'), ['widgets.example.com']);
    assert.deepEqual(await entries(name, 'namespaces'), ['app']);
    assert.deepEqual(readByName(crdPath), ['metadata.name=widgets.example.com']);
    assert.deepEqual(readByName('/api/v1/namespaces'), ['metadata.name=app']);
    assert.ok(!requests().some((e) => e.path.startsWith(`${crdPath}/`) || e.path === '/api/v1/namespaces/app'), 'no object read with get');
    // The CRD collection is listed whole once, for the names of CRDs (metadata only), never to take the objects.
    assert.equal(requests().filter((e) => e.path === crdPath && !new URLSearchParams(e.query).has('fieldSelector')).length, 1);
  });

  it('lists the type instead when it is taken for many names, in the same order', async () => {
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeNamespaces: ['many-*'] }), bed.deps);
    assert.equal(outcome.phase, 'Completed');
    assert.deepEqual(await entries(name, 'namespaces'), many);
    assert.deepEqual(await entries(name, 'customresourcedefinitions.apiextensions.k8s.io'), ['things.example.com']);
    assert.deepEqual(readByName('/api/v1/namespaces'), [], 'no Namespace read one by one');
  });

  it('reports an object it cannot read as an error of its type, and goes on', async () => {
    const name = bed.nextName();
    bed.server.faults.add({ method: 'GET', path: `^${crdPath}$`, query: { fieldSelector: fieldSelector('widgets.example.com') }, status: 403, times: 1 });
    const outcome = await runBackup(backupRequest(name, { includeNamespaces: ['app'] }), bed.deps);
    assert.equal(outcome.phase, 'PartiallyFailed');
    assert.match(outcome.results.errors.cluster[0]!, /cannot read customresourcedefinitions\.apiextensions\.k8s\.io widgets\.example\.com: .*403/);
    assert.deepEqual(await entries(name, 'widgets.example.com'), ['w1']);
    assert.deepEqual(await entries(name, 'customresourcedefinitions.apiextensions.k8s.io'), [], 'the CRD it could not read is not in the archive');
  });

  it('skips a name whose object is gone by the time it is read', async () => {
    const name = bed.nextName();
    await bed.server.seed([namespace('going')]);
    bed.server.requestLog.clear();
    bed.server.faults.add({ method: 'GET', path: '^/api/v1/namespaces$', query: { fieldSelector: fieldSelector('going') }, delayMs: 1000, times: 1 });
    const running = runBackup(backupRequest(name, { includeNamespaces: ['app', 'going'] }), bed.deps);
    // The Namespace is deleted, and gone (it is empty), while its read waits.
    while (!readByName('/api/v1/namespaces').includes('metadata.name=going')) await sleep(10);
    await bed.client.json({ method: 'DELETE', path: '/api/v1/namespaces/going' });
    while ((await getIfExists(bed.client, '/api/v1/namespaces/going')) !== undefined) await sleep(10);
    const outcome = await running;
    assert.equal(outcome.phase, 'Completed');
    assert.deepEqual(await entries(name, 'namespaces'), ['app']);
    assert.deepEqual(await entries(name, 'customresourcedefinitions.apiextensions.k8s.io'), ['widgets.example.com']);
  });
});
