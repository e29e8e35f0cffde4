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
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { restoreRequest } from '../builders/restore-request.js';

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
});
