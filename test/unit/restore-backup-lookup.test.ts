import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BackupCatalog } from '../../src/backup-records/backup-catalog.js';
import { BackupObjects } from '../../src/cluster-records/backup-objects.js';
import { BadInputError } from '../../src/errors.js';
import { silentLogger } from '../../src/log/logger.js';
import { findBackup } from '../../src/restore/backup-lookup.js';
import { defaultRestoreName } from '../../src/restore/restore-name.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { FakeBackupCluster } from '../builders/fake-backup-cluster.js';
import { backupArchive } from '../builders/restore-archive.js';
import { storeBackup } from '../builders/stored-backup.js';

describe('restore: which backup', () => {
  let dir: string;
  let backups: BackupCatalog;
  const cluster = new FakeBackupCluster();

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-lookup-'));
    const store = new FileObjectStore(dir);
    backups = new BackupCatalog(new BackupRepository(store), {
      objects: new BackupObjects(cluster, 'kubectl-backup'),
      locationReference: 'default',
      locationLabel: 'here',
      logger: silentLogger,
    });
    const archive = await backupArchive([]);
    const schedule = { 'kubectl-backup.io/schedule-name': 'daily' };
    await storeBackup(store, 'daily-20240101030000', { archive, labels: schedule, start: new Date('2024-01-01T03:00:00Z') });
    await storeBackup(store, 'daily-20240102030000', { archive, labels: schedule, start: new Date('2024-01-02T03:00:00Z') });
    await storeBackup(store, 'daily-20240103030000', { archive, labels: schedule, start: new Date('2024-01-03T03:00:00Z'), phase: 'PartiallyFailed' });
    await storeBackup(store, 'daily-20240104030000', { archive, labels: schedule, start: new Date('2024-01-04T03:00:00Z'), phase: 'Failed' });
    await storeBackup(store, 'other-20240105030000', { archive, labels: { 'kubectl-backup.io/schedule-name': 'other' }, start: new Date('2024-01-05T03:00:00Z') });
    await storeBackup(store, 'broken', { archive, phase: 'Failed' });
  });

  after(() => fs.rm(dir, { recursive: true, force: true }));

  it('takes the newest Completed backup of a schedule', async () => {
    assert.equal((await findBackup(backups, { schedule: 'daily', allowPartiallyFailed: false }, 'here')).metadata.name, 'daily-20240102030000');
  });

  it('takes PartiallyFailed ones too with --allow-partially-failed, never Failed ones', async () => {
    assert.equal((await findBackup(backups, { schedule: 'daily', allowPartiallyFailed: true }, 'here')).metadata.name, 'daily-20240103030000');
  });

  it('says when a schedule has no usable backup', async () => {
    await assert.rejects(findBackup(backups, { schedule: 'weekly', allowPartiallyFailed: false }, 'location "x"'), (err: unknown) => {
      assert.ok(err instanceof BadInputError);
      assert.match(err.message, /^no Completed backup of schedule "weekly" in location "x"; see: kubectl backup get -l kubectl-backup\.io\/schedule-name=weekly$/);
      return true;
    });
  });

  it('takes a backup by name, refusing Failed ones and unknown names', async () => {
    assert.equal((await findBackup(backups, { backup: 'daily-20240103030000' }, 'here')).status.phase, 'PartiallyFailed');
    await assert.rejects(findBackup(backups, { backup: 'broken' }, 'here'), /backup "broken" failed \(phase Failed\) and cannot be restored/);
    await assert.rejects(findBackup(backups, { backup: 'nope' }, 'here'), /backup "nope" not found/);
  });

  it('says that a backup known only from its Backup object is Failed, or still running, and cannot be restored', async () => {
    cluster.put('s1', { storageLocation: 'default' }, { phase: 'Failed', startTimestamp: new Date().toISOString() });
    cluster.put('s2', { storageLocation: 'default' }, { phase: 'InProgress', startTimestamp: new Date().toISOString(), lastUpdateTimestamp: new Date().toISOString() });
    for (const [name, state] of [['s1', 'ended Failed without data in storage'], ['s2', 'is InProgress and has no data in storage yet']] as const) {
      await assert.rejects(findBackup(backups, { backup: name }, 'here'), (err: unknown) => {
        assert.ok(err instanceof BadInputError);
        assert.equal(err.message, `backup "${name}" ${state}: it cannot be restored; see: kubectl backup describe ${name}`);
        return true;
      });
    }
  });

  it("says of a name that only Velero has a backup of that it is Velero's, not that nothing is there", async () => {
    await fs.mkdir(path.join(dir, 'backups', 'velero-made'), { recursive: true });
    await fs.writeFile(path.join(dir, 'backups', 'velero-made', 'velero-backup.json'), '{"kind":"Backup"}');
    await assert.rejects(findBackup(backups, { backup: 'velero-made' }, 'here'), (err: unknown) => {
      assert.ok(err instanceof BadInputError);
      assert.equal(
        err.message,
        'backup "velero-made" not found in here (a Velero backup of that name is there; kubectl-backup reads only backups with its own record, which holds the checksums a restore verifies); see: kubectl backup get',
      );
      return true;
    });
  });

  it('names restores BACKUP-YYYYMMDDhhmmss in UTC', () => {
    assert.equal(defaultRestoreName('nightly', new Date('2024-03-05T07:08:09.500Z')), 'nightly-20240305070809');
  });
});
