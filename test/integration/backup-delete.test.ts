import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { isNotFound } from '../../src/kube/api-error.js';
import { resolveLocation } from '../../src/location/resolve.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { startBackupCommandFixture, toolNamespace as ns, type BackupCommandFixture, type LocationName } from '../builders/backup-command-fixture.js';
import { storeRestore } from '../builders/stored-backup.js';
import { requireExecutable } from '../helpers/plugin.js';

/** `kubectl backup delete` through kubectl and the built executable (backup.md, Deleting). */
describe('backup delete', function () {
  this.timeout(60_000);
  let f: BackupCommandFixture;
  const stores = new Map<LocationName, ObjectStore>();

  const store = async (location: LocationName): Promise<ObjectStore> => {
    if (!stores.has(location)) stores.set(location, (await resolveLocation({ storageLocation: location }, { client: f.client, namespace: ns, env: { ...f.s3.env } })).store);
    return stores.get(location)!;
  };
  const names = async (location: LocationName = 'default') => new BackupRepository(await store(location)).names();
  const keysUnder = async (location: LocationName, name: string) => {
    const keys: string[] = [];
    for await (const object of (await store(location)).list(backupKeys(name).dir)) keys.push(object.key);
    return keys;
  };
  const object = async (resource: 'backups' | 'restores', name: string): Promise<boolean> => {
    try {
      await f.client.json({ method: 'GET', path: ownResourcePath(resource, ns, name) });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  };

  before(async () => {
    requireExecutable();
    f = await startBackupCommandFixture('delete');
    await f.backup('shop-1', { labels: { team: 'data' }, filters: { includeNamespaces: ['shop'] } });
    await f.backup('shop-2', { labels: { team: 'data' }, filters: { includeNamespaces: ['shop'] } });
    await f.backup('blog-1', { labels: { team: 'web' }, filters: { includeNamespaces: ['blog'] } });
    await f.backup('keep', { labels: { team: 'ops' }, filters: { includeNamespaces: ['blog'] } });
    await f.backup('vault-1', { location: 'vault' });
    await f.backup('vault-2', { location: 'vault' });
    await f.backup('locked-1', { location: 'locked', ttlMs: 48 * 3_600_000 });
  });
  after(() => f?.close());

  it('needs --confirm when not on a terminal, and deletes nothing without it', async () => {
    const result = await f.run(['delete', 'shop-1']);
    assert.equal(result.code, ExitCode.BadInput);
    assert.equal(result.stderr, 'Error: backup delete deletes and cannot be undone: it needs --confirm when not run from a terminal\n');
    assert.deepEqual(await names(), ['blog-1', 'keep', 'shop-1', 'shop-2']);
  });

  it('refuses an unknown name, or a bad selection, before deleting anything', async () => {
    const cases: [string[], RegExp][] = [
      [['delete', 'shop-1', 'nope', '--confirm'], /^Error: backup "nope" not found in location "default"; see: kubectl backup get$/m],
      [['delete', '--confirm'], /^Error: backup delete needs backup names, --all or -l SELECTOR$/m],
      [['delete', 'shop-1', '--all', '--confirm'], /^Error: backup delete takes backup names, --all or -l SELECTOR: only one of them$/m],
      [['delete', '--all', '-l', 'a=b', '--confirm'], /only one of them/],
      [['delete', '-l', 'a in b', '--confirm'], /^Error: invalid --selector "a in b"/m],
      [['delete', 'Shop', '--confirm'], /^Error: invalid backup name "Shop"/m],
    ];
    for (const [args, message] of cases) {
      const result = await f.run(args);
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
    assert.deepEqual(await names(), ['blog-1', 'keep', 'shop-1', 'shop-2']);
    assert.ok(await object('backups', 'shop-1'));
  });

  it('deletes the record, the artifacts, the Backup object and the records of restores made from it', async () => {
    const local = await store('default');
    await storeRestore(local, 'blog-1-back', 'blog-1');
    await storeRestore(local, 'keep-back', 'keep');
    await f.client.json({ method: 'POST', path: ownResourcePath('restores', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Restore', metadata: { name: 'blog-1-back', namespace: ns }, spec: { backupName: 'blog-1' } } });
    const result = await f.run(['delete', 'blog-1', '--confirm']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'backup "blog-1" deleted (5 objects removed from storage; its Backup object; the records of restore blog-1-back)\n');
    assert.deepEqual(await keysUnder('default', 'blog-1'), []);
    assert.equal(await object('backups', 'blog-1'), false);
    assert.equal(await object('restores', 'blog-1-back'), false);
    assert.equal(await new RestoreRepository(local).exists('blog-1-back'), false);
    assert.equal(await new RestoreRepository(local).exists('keep-back'), true, 'restores of other backups stay');
    const get = await f.run(['get', 'blog-1']);
    assert.equal(get.code, ExitCode.BadInput, 'the backup is gone for get too');
  });

  it('deletes by label selector', async () => {
    const result = await f.run(['delete', '-l', 'team=data', '--confirm']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(result.stdout.trimEnd().split('\n').map((l) => l.split(' ')[1]), ['"shop-2"', '"shop-1"']);
    assert.deepEqual(await names(), ['keep']);
    assert.equal(await object('backups', 'shop-1'), false);
  });

  it('deletes every backup of a write-once S3 location with --all, and only there', async () => {
    const result = await f.run(['delete', '--all', '--storage-location', 'vault', '--confirm']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^backup "vault-1" deleted \(5 objects removed from storage; its Backup object\)$/m);
    assert.match(result.stdout, /^backup "vault-2" deleted/m);
    assert.deepEqual(await names('vault'), []);
    assert.deepEqual(await keysUnder('vault', 'vault-1'), []);
    assert.deepEqual(await names(), ['keep']);
    const again = await f.run(['delete', '--all', '--storage-location', 'vault', '--confirm']);
    assert.equal(again.code, 0);
    assert.equal(again.stderr, 'No backups to delete in location "vault".\n');
  });

  it('reports a backup under object lock retention with the date it can be deleted from, removes nothing, exits 1', async () => {
    const before = await keysUnder('locked', 'locked-1');
    const record = await new BackupRepository(await store('locked')).require('locked-1');
    const result = await f.run(['delete', 'locked-1', '--storage-location', 'locked', '--confirm']);
    assert.equal(result.code, ExitCode.Failed, result.stderr);
    assert.equal(result.stdout, '');
    assert.equal(
      result.stderr,
      `Error: backup "locked-1" is kept by its storage under object lock retention and can be deleted from ${new Date(record.status.expiration!).toISOString()}; nothing of it was removed\n`,
    );
    assert.deepEqual(await keysUnder('locked', 'locked-1'), before);
    assert.ok(await object('backups', 'locked-1'), 'its Backup object stays');
    assert.ok(!f.s3.requestLog.some((r) => r.operation === 'DeleteObject' && r.key?.includes('locked-1')), 'no delete was even tried');
  });

  it('deletes the Backup object of a run that ended without a record, and refuses a running one', async () => {
    const post = async (name: string, status: Record<string, unknown>) => {
      await f.client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name, namespace: ns }, spec: { storageLocation: 'default' } } });
      await f.client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, name)}/status`, contentType: 'application/merge-patch+json', body: { status } });
    };
    const now = new Date().toISOString();
    await post('failed', { phase: 'Failed', startTimestamp: now, failureReason: 'storage unreachable' });
    await post('running', { phase: 'InProgress', startTimestamp: now, lastUpdateTimestamp: now });
    const refused = await f.run(['delete', 'running', '--confirm']);
    assert.equal(refused.code, ExitCode.BadInput);
    assert.match(refused.stderr, /^Error: backup "running" is still running \(InProgress\); delete it once it has ended$/m);
    const result = await f.run(['delete', 'failed', '--confirm']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'backup "failed" deleted (0 objects removed from storage; its Backup object)\n');
    assert.equal(await object('backups', 'failed'), false);
    assert.ok(await object('backups', 'running'));
  });

  /** A Restore object as a restore writes it, with no record behind it: its storage failed. */
  const restoreObject = async (name: string, backupName: string, storageLocation: string, phase: string) => {
    const labels = { 'kubectl-backup.io/backup-name': backupName };
    await f.client.json({ method: 'POST', path: ownResourcePath('restores', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Restore', metadata: { name, namespace: ns, labels }, spec: { backupName, storageLocation } } });
    await f.client.json({ method: 'PATCH', path: `${ownResourcePath('restores', ns, name)}/status`, contentType: 'application/merge-patch+json', body: { status: { phase } } });
  };

  it('deletes the Restore objects of restores made from it that have no record, of its location only, never one InProgress', async () => {
    await restoreObject('keep-failed', 'keep', 'default', 'Failed');
    await restoreObject('keep-elsewhere', 'keep', 'vault', 'Completed');
    await restoreObject('keep-running', 'keep', 'default', 'InProgress');
    const result = await f.run(['delete', 'keep', '--confirm']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'backup "keep" deleted (5 objects removed from storage; its Backup object; the records of restore keep-back; the Restore object of keep-failed, which had no record)\n');
    // The warning is logged as JSON: the quotes are escaped.
    assert.match(result.stderr, /restore \\"keep-running\\" made from it has no record and is InProgress: its Restore object stays/);
    assert.equal(await object('restores', 'keep-failed'), false);
    assert.ok(await object('restores', 'keep-elsewhere'), 'the restore of a backup of the same name in another location');
    assert.ok(await object('restores', 'keep-running'));
  });

  it('restore delete removes a Restore object that has no record, and refuses one InProgress', async () => {
    await restoreObject('lone', 'gone', 'default', 'Failed');
    const running = await f.run(['restore', 'delete', 'keep-running', '--confirm']);
    assert.equal(running.code, ExitCode.BadInput);
    assert.match(running.stderr, /^Error: restore "keep-running" has no record in location "default" and its Restore object is InProgress: it may still be running; if its run was killed, delete the object with: kubectl delete restore keep-running -n kubectl-backup$/m);
    const elsewhere = await f.run(['restore', 'delete', 'keep-elsewhere', '--confirm']);
    assert.equal(elsewhere.code, ExitCode.BadInput, 'the object of another location is no restore of this one');
    assert.match(elsewhere.stderr, /^Error: restore "keep-elsewhere" not found in location "default"/m);
    const result = await f.run(['restore', 'delete', 'lone', '--confirm']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'restore "lone" deleted (its Restore object only: it had no record in location "default")\n');
    assert.equal(await object('restores', 'lone'), false);
    assert.ok(await object('restores', 'keep-running'));
  });
});
