import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { BackupCatalog } from '../../src/backup-records/backup-catalog.js';
import { BackupDeleter } from '../../src/backup-records/delete-backups.js';
import { selectDeleteTargets, type DeleteSelection, type DeleteSources } from '../../src/backup-records/delete-selection.js';
import { BackupObjects } from '../../src/cluster-records/backup-objects.js';
import { deleteRestoreObject, RestoreObjects } from '../../src/cluster-records/restore-objects.js';
import { ExitCode } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { parseLabelSelector } from '../../src/kube/label-selector.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import type { ObjectInfo, PutOptions, StoredObject } from '../../src/storage/object-store.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { DelegatingStore } from '../builders/delegating-store.js';
import { FakeBackupCluster } from '../builders/fake-backup-cluster.js';
import { storeBackup, storeRestore } from '../builders/stored-backup.js';

/** A directory store that records deletions and can report a retention on chosen keys, as S3 Object Lock does. */
class RecordingStore extends DelegatingStore {
  readonly deleted: string[] = [];
  readonly retained = new Map<string, Date>();
  override get supportsRetention(): boolean {
    return true;
  }
  override put(key: string, body: Readable, options?: PutOptions): Promise<StoredObject> {
    return this.inner.put(key, body, options?.retention ? { ...options, retention: undefined } : options);
  }
  override async head(key: string): Promise<ObjectInfo | undefined> {
    const info = await this.inner.head(key);
    const until = this.retained.get(key);
    return info && until ? { ...info, retention: { mode: 'COMPLIANCE', retainUntil: until } } : info;
  }
  override async delete(key: string): Promise<void> {
    this.deleted.push(key);
    await this.inner.delete(key);
  }
}

describe('backup delete: selection, order, restores and retention', () => {
  let root: string;
  let store: RecordingStore;
  let cluster: FakeBackupCluster;
  let deleter: BackupDeleter;
  let sources: DeleteSources;
  const now = new Date('2030-01-10T00:00:00Z');

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'kb-delete-'));
    store = new RecordingStore(new FileObjectStore(root));
    cluster = new FakeBackupCluster();
    const backups = new BackupRepository(store, { locationLabel: 'location "default"' });
    const objects = new BackupObjects(cluster, 'kubectl-backup');
    sources = { catalog: new BackupCatalog(backups, { objects, locationReference: 'default', locationLabel: 'location "default"', logger: silentLogger, now: () => now }), backups, logger: silentLogger };
    deleter = new BackupDeleter({
      backups,
      restores: new RestoreRepository(store),
      objects,
      deleteRestoreObject: (name) => deleteRestoreObject(cluster, 'kubectl-backup', name),
      logger: silentLogger,
      now: () => now,
    });
    await storeBackup(store, 'a', { labels: { team: 'data' }, start: new Date('2030-01-01T00:00:00Z') });
    await storeBackup(store, 'b', { labels: { team: 'web' }, start: new Date('2030-01-02T00:00:00Z') });
    await storeBackup(store, 'c', { labels: { team: 'data' }, start: new Date('2030-01-03T00:00:00Z') });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const targetsOf = (selection: DeleteSelection) => selectDeleteTargets(selection, sources);
  const select = (selection: DeleteSelection) => targetsOf(selection).then((targets) => targets.map((t) => t.name));

  it('selects by name, --all or -l, and refuses an unknown name before anything is deleted', async () => {
    assert.deepEqual(await select({ names: ['c', 'a', 'c'] }), ['c', 'a']);
    assert.deepEqual(await select({ all: true }), ['a', 'b', 'c']);
    assert.deepEqual(await select({ selector: parseLabelSelector('team=data') }), ['c', 'a']);
    await assert.rejects(targetsOf({ names: ['a', 'nope'] }), (err: Error & { exitCode?: number }) => {
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.equal(err.message, 'backup "nope" not found in location "default"; see: kubectl backup get');
      return true;
    });
    assert.deepEqual(store.deleted, []);
  });

  it('deletes the record first, then the artifacts, the Backup object and the records of restores made from it', async () => {
    cluster.put('a', { storageLocation: 'default' }, { phase: 'Completed' });
    await storeRestore(store, 'a-back', 'a');
    await storeRestore(store, 'b-back', 'b');
    cluster.restoreObjects.set('a-back', 'uid-back');
    const [outcome] = await deleter.delete(await targetsOf({ names: ['a'] }));
    const keys = backupKeys('a');
    assert.equal(outcome!.result, 'deleted');
    assert.equal(store.deleted[0], keys.record, 'the record goes first: the backup disappears at once');
    assert.deepEqual(new Set(store.deleted.slice(1, 5)), new Set([keys.archive, keys.resourceList, keys.results, keys.logs]));
    assert.deepEqual(store.deleted.slice(5), [restoreKeys('a-back').record, restoreKeys('a-back').logs]);
    assert.deepEqual(outcome!.restores, ['a-back']);
    assert.equal(outcome!.backupObjectDeleted, true);
    assert.equal(cluster.objects.has('a'), false);
    assert.equal(cluster.restoreObjects.has('a-back'), false);
    assert.equal(await new RestoreRepository(store).exists('b-back'), true, 'restores of other backups stay');
    assert.deepEqual(await new BackupRepository(store).names(), ['b', 'c']);
  });

  it('deletes the Restore objects of its restores that have no record, never one still InProgress', async () => {
    await storeRestore(store, 'a-back', 'a');
    cluster.restoreObjects.set('a-back', 'uid-back');
    cluster.restoreObjects.set('a-failed', 'uid-failed');
    cluster.restoreObjects.set('a-running', 'uid-running');
    // Listed with one uid, made again under its name with another before the delete.
    cluster.restoreObjects.set('a-again', 'uid-new');
    const asked: string[] = [];
    const withObjects = new BackupDeleter({
      backups: new BackupRepository(store),
      restores: new RestoreRepository(store),
      objects: new BackupObjects(cluster, 'kubectl-backup'),
      deleteRestoreObject: (name, uid) => new RestoreObjects(cluster, 'kubectl-backup').delete(name, uid),
      restoreObjectsOf: async (backupName) => {
        asked.push(backupName);
        return backupName === 'a'
          ? [
              { name: 'a-back', backupName: 'a', storageLocation: 'default', phase: 'Completed' },
              { name: 'a-failed', uid: 'uid-failed', backupName: 'a', storageLocation: 'default', phase: 'Failed' },
              { name: 'a-running', backupName: 'a', storageLocation: 'default', phase: 'InProgress' },
              { name: 'a-again', uid: 'uid-old', backupName: 'a', storageLocation: 'default', phase: 'Failed' },
            ]
          : [];
      },
      logger: silentLogger,
      now: () => now,
    });
    const [outcome] = await withObjects.delete(await targetsOf({ names: ['a'] }));
    assert.deepEqual(asked, ['a']);
    assert.deepEqual(outcome!.restores, ['a-back'], 'the record and its object, as before');
    assert.deepEqual(outcome!.restoreObjects, ['a-failed']);
    assert.deepEqual([...cluster.restoreObjects.keys()], ['a-running', 'a-again'], 'the object made again meanwhile is not the one listed: it stays');
    assert.equal(outcome!.warnings[0], 'restore "a-running" made from it has no record and is InProgress: its Restore object stays, as its run may still be going');
    assert.match(outcome!.warnings[1] ?? '', /^the Restore object "a-again" could not be deleted: /);
    assert.equal(outcome!.warnings.length, 2);
  });

  it('keeps the objects of a Velero backup of the same name, and says so', async () => {
    const keys = backupKeys('a');
    await mkdir(join(root, keys.dir), { recursive: true });
    await writeFile(join(root, keys.dir, 'velero-backup.json'), '{}');
    const [outcome] = await deleter.delete(await targetsOf({ names: ['a'] }));
    assert.equal(outcome!.result, 'deleted');
    assert.deepEqual(store.deleted, [keys.record]);
    assert.deepEqual(outcome!.warnings, ['a Velero backup of the same name shares its directory: only its record was removed, the 5 other objects there were kept']);
    assert.deepEqual(await new BackupRepository(store).names(), ['b', 'c']);
  });

  it('reports a backup under retention with the date it can be deleted from, removes nothing of it, and deletes the others', async () => {
    const until = new Date('2030-02-01T00:00:00Z');
    store.retained.set(backupKeys('b').record, until);
    cluster.put('b', { storageLocation: 'default' }, { phase: 'Completed' });
    await storeRestore(store, 'b-back', 'b');
    const outcomes = await deleter.delete(await targetsOf({ all: true }));
    assert.deepEqual(
      outcomes.map((o) => [o.name, o.result]),
      [
        ['a', 'deleted'],
        ['b', 'locked'],
        ['c', 'deleted'],
      ],
    );
    const locked = outcomes[1]!;
    assert.equal(locked.deletableFrom, '2030-02-01T00:00:00.000Z');
    assert.equal(locked.message, 'backup "b" is kept by its storage under object lock retention and can be deleted from 2030-02-01T00:00:00.000Z; nothing of it was removed');
    assert.ok(!store.deleted.some((key) => key.startsWith('backups/b/') || key.startsWith('restores/')));
    assert.equal(cluster.objects.has('b'), true, 'its Backup object stays too');
    assert.deepEqual(await new BackupRepository(store).names(), ['b']);
  });

  it('deletes a record that cannot be read, by name or with --all', async () => {
    await mkdir(join(root, 'backups', 'broken'), { recursive: true });
    await writeFile(join(root, 'backups', 'broken', 'kubectl-backup.json'), 'not json');
    assert.deepEqual(await select({ all: true }), ['a', 'b', 'broken', 'c']);
    assert.deepEqual(await select({ selector: parseLabelSelector('team') }), ['c', 'b', 'a'], '-l cannot match what cannot be read');
    const [outcome] = await deleter.delete(await targetsOf({ names: ['broken'] }));
    assert.equal(outcome!.result, 'deleted');
    assert.deepEqual(await new BackupRepository(store).names(), ['a', 'b', 'c']);
  });

  it('takes the records of restores made from a backup known only from its object, and their objects as restores with records', async () => {
    cluster.put('gone', { storageLocation: 'default' }, { phase: 'Failed' });
    await storeRestore(store, 'gone-back', 'gone');
    cluster.restoreObjects.set('gone-back', 'uid-gone-back');
    const withObjects = new BackupDeleter({
      backups: new BackupRepository(store),
      restores: new RestoreRepository(store),
      objects: new BackupObjects(cluster, 'kubectl-backup'),
      deleteRestoreObject: (name) => deleteRestoreObject(cluster, 'kubectl-backup', name),
      restoreObjectsOf: async (backupName) => (backupName === 'gone' ? [{ name: 'gone-back', backupName: 'gone', storageLocation: 'default', phase: 'Completed' }] : []),
      logger: silentLogger,
      now: () => now,
    });
    const [outcome] = await withObjects.delete(await targetsOf({ names: ['gone'] }));
    assert.deepEqual([outcome!.restores, outcome!.restoreObjects], [['gone-back'], []], 'its record went, and its object with it: it was no object-only restore');
    assert.deepEqual(await new RestoreRepository(store).names(), []);
    assert.deepEqual([...cluster.restoreObjects.keys()], [], 'the Restore object is gone');
  });

  it('leaves the Restore object of a restore whose record cannot be read: it has a record', async () => {
    await mkdir(join(root, restoreKeys('a-broken').dir), { recursive: true });
    await writeFile(join(root, restoreKeys('a-broken').record), 'not json');
    cluster.restoreObjects.set('a-broken', 'uid-broken');
    const withObjects = new BackupDeleter({
      backups: new BackupRepository(store),
      restores: new RestoreRepository(store),
      objects: new BackupObjects(cluster, 'kubectl-backup'),
      deleteRestoreObject: (name, uid) => new RestoreObjects(cluster, 'kubectl-backup').delete(name, uid),
      restoreObjectsOf: async (backupName) => (backupName === 'a' ? [{ name: 'a-broken', uid: 'uid-broken', backupName: 'a', storageLocation: 'default', phase: 'Failed' }] : []),
      logger: silentLogger,
      now: () => now,
    });
    const [outcome] = await withObjects.delete(await targetsOf({ names: ['a'] }));
    assert.deepEqual([outcome!.result, outcome!.restores, outcome!.restoreObjects, outcome!.warnings], ['deleted', [], [], []]);
    assert.deepEqual([...cluster.restoreObjects.keys()], ['a-broken']);
    assert.equal(await new RestoreRepository(store).exists('a-broken'), true);
  });

  it('deletes the object of a backup that ended without a record, and refuses one still running', async () => {
    cluster.put('failed', { storageLocation: 'default' }, { phase: 'Failed', failureReason: 'storage unreachable' });
    cluster.put('running', { storageLocation: 'default' }, { phase: 'InProgress', lastUpdateTimestamp: now.toISOString() });
    assert.deepEqual(await select({ all: true }), ['a', 'b', 'c', 'failed'], '--all leaves a running backup alone');
    await assert.rejects(targetsOf({ names: ['running'] }), /^BadInputError: backup "running" is still running \(InProgress\); delete it once it has ended$/);
    const [outcome] = await deleter.delete(await targetsOf({ names: ['failed'] }));
    assert.deepEqual([outcome!.result, outcome!.removed, outcome!.backupObjectDeleted], ['deleted', [], true]);
    assert.equal(cluster.objects.has('failed'), false);
  });

  it('leaves a Backup object made again under the name after the selection: only the object selected is deleted', async () => {
    cluster.put('failed', { storageLocation: 'default' }, { phase: 'Failed' }, {}, {}, 'uid-old');
    const targets = await targetsOf({ names: ['failed'] });
    cluster.put('failed', { storageLocation: 'default' }, { phase: 'Failed' }, {}, {}, 'uid-new');
    const [outcome] = await deleter.delete(targets);
    assert.equal(outcome!.backupObjectDeleted, false);
    assert.match(outcome!.warnings[0] ?? '', /^its Backup object could not be deleted: /);
    assert.equal(cluster.objects.get('failed')?.metadata.uid, 'uid-new', 'the new object stays');
  });
});
