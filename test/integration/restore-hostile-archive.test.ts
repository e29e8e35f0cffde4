import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BackupEngine } from '../../src/backup/backup-engine.js';
import { defaultFilters, defaultTtlMs } from '../../src/backup/backup-request.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { HttpKubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger } from '../../src/log/logger.js';
import type { RestoreRequest } from '../../src/restore/restore-request.js';
import { createRestore, type RestoreResult } from '../../src/restore/restore-service.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { InvalidArchiveError } from '../../src/archive/archive-errors.js';
import { ExitCode } from '../../src/errors.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { formatVersion, versionEntry } from '../../src/archive/archive-paths.js';
import { tarGz, type RawEntry } from '../builders/restore-archive.js';
import { restoreRequest } from '../builders/restore-request.js';
import { storeBackup } from '../builders/stored-backup.js';

/**
 * Archives and objects that a hostile user can shape: names that look like paths, items that
 * are too deep or too many. A Completed backup must restore; a hostile archive must be refused
 * before anything is created.
 */
describe('restore of hostile archives (API test server)', () => {
  let server: TestApiServer;
  let client: HttpKubeClient;
  let dir: string;
  let store: FileObjectStore;
  let backups = 0;

  const rolePath = (namespace: string, name?: string) => `/apis/rbac.authorization.k8s.io/v1/namespaces/${namespace}/roles${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;

  const runBackup = (namespaces: string[]) =>
    new BackupEngine(
      { name: `hostile-${++backups}`, filters: { ...defaultFilters, includeNamespaces: namespaces }, ttlMs: defaultTtlMs, labels: {}, annotations: {}, pageSize: 50, dryRun: false },
      { client, store, storageLocation: 'test store', logger: silentLogger },
    ).run();

  async function backUp(namespaces: string[]): Promise<BackupRecord> {
    const outcome = await runBackup(namespaces);
    assert.equal(outcome.phase, 'Completed', JSON.stringify(outcome.results));
    return outcome.record!;
  }

  /** A ConfigMap whose data nests `depth` objects below it (JSON.parse takes any depth). */
  function deepConfigMap(namespace: string, name: string, depth: number): RawEntry {
    const head = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace } }).slice(0, -1);
    return { name: `resources/configmaps/namespaces/${namespace}/${name}.json`, body: `${head},"x":${'{"a":'.repeat(depth - 1)}{}${'}'.repeat(depth - 1)}}` };
  }

  const plainConfigMap = (namespace: string, name: string): RawEntry => ({
    name: `resources/configmaps/namespaces/${namespace}/${name}.json`,
    body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { k: 'v' } }),
  });

  const namespaceEntry = (name: string): RawEntry => ({ name: `resources/namespaces/cluster/${name}.json`, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });

  const storedArchive = async (entries: RawEntry[]) => storeBackup(store, `stored-${++backups}`, { archive: await tarGz([{ name: versionEntry, body: `${formatVersion}\n` }, ...entries]) });

  const createNamespace = (name: string) => client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });

  const restore = (backup: BackupRecord, overrides: Partial<RestoreRequest> = {}): Promise<RestoreResult> =>
    createRestore(restoreRequest(backup.metadata.name, overrides), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });

  before(async () => {
    server = await startTestApiServer();
    client = new HttpKubeClient({ server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-hostile-'));
    store = new FileObjectStore(dir);
  });

  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('backs up and restores a Role named x\\..\\y (RBAC names are path segments; a backslash is no separator in a tar)', async () => {
    const name = 'x\\..\\y';
    await createNamespace('tenant');
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name, namespace: 'tenant' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
    await client.json({ method: 'POST', path: rolePath('tenant'), body: role });
    const backup = await backUp(['tenant']);
    await client.json({ method: 'DELETE', path: rolePath('tenant', name) });

    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    const restored = await getIfExists<KubeObject>(client, rolePath('tenant', name));
    assert.equal(restored?.metadata.name, name);
    assert.deepEqual(restored?.rules, role.rules);
  });

  it('backs up a Role whose name is longer than an archive allows as an error of the backup, and the rest restores', async () => {
    // Path-segment names have no length rule in Kubernetes, but a restore refuses an archive
    // with a name over 253 characters: the backup must not say Completed and write one.
    const long = 'r'.repeat(300);
    await createNamespace('tenant-long');
    await client.json({ method: 'POST', path: rolePath('tenant-long'), body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: long, namespace: 'tenant-long' } } });
    await client.json({ method: 'POST', path: rolePath('tenant-long'), body: { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'short', namespace: 'tenant-long' } } });
    const outcome = await runBackup(['tenant-long']);
    assert.equal(outcome.phase, 'PartiallyFailed');
    assert.deepEqual(outcome.results.errors.namespaces['tenant-long'], [
      `cannot back up roles.rbac.authorization.k8s.io tenant-long/${long}: its name is 300 characters long (1 to 253 are allowed)`,
    ]);
    await client.json({ method: 'DELETE', path: rolePath('tenant-long', 'short') });
    const result = await restore(outcome.record!);
    assert.equal(result.outcome.errorCount, 0, JSON.stringify(result.outcome.errors));
    assert.ok(await getIfExists(client, rolePath('tenant-long', 'short')));
  });

  it('refuses, before creating anything, an archive with an item nested deeper than Kubernetes allows', async () => {
    const backup = await storedArchive([namespaceEntry('deep'), plainConfigMap('deep', 'a'), deepConfigMap('deep', 'b', 10_000)]);
    await assert.rejects(restore(backup), (err: unknown) => {
      assert.ok(err instanceof InvalidArchiveError, String(err));
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, /deep\/b\.json" nests arrays and objects more than 10000 levels deep/);
      return true;
    });
    assert.equal(await getIfExists(client, '/api/v1/namespaces/deep'), undefined);
  });

  it('fails an item too deep to send as an error of that item, not as an unreachable API server, and goes on', async () => {
    // Within Kubernetes' limit, but deeper than JSON.stringify recurses on the default stack.
    const backup = await storedArchive([namespaceEntry('deeper'), plainConfigMap('deeper', 'a'), deepConfigMap('deeper', 'b', 9_000), plainConfigMap('deeper', 'c')]);
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'PartiallyFailed', result.outcome.failureReason);
    const errors = result.outcome.errors.namespaces.deeper ?? [];
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /^configmaps deeper\/b: could not create: /);
    assert.doesNotMatch(errors[0]!, /cannot reach/);
    assert.ok(await getIfExists(client, '/api/v1/namespaces/deeper/configmaps/a'));
    assert.ok(await getIfExists(client, '/api/v1/namespaces/deeper/configmaps/c'));
  });
});
