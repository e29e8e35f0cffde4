import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import type { ObjectInfo, Retention } from '../../src/storage/object-store.js';
import { RecordExistsError, RecordLockedError, RecordNotFoundError } from '../../src/storage/repository-errors.js';
import { MAX_RECORD_BYTES } from '../../src/storage/record-io.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { InvalidRecordError, StorageError } from '../../src/storage/storage-errors.js';
import { sampleBackupRecord, sampleRestoreRecord } from '../unit/storage-sample-records.js';
import { DelegatingStore } from '../builders/delegating-store.js';
import { bodyOf, fileFixture, keysOf, s3Fixture } from './storage-store-fixtures.js';

/** A store that notes the keys it deletes, in order, and passes everything on. */
class DeletionRecordingStore extends DelegatingStore {
  readonly deleted: string[] = [];
  override async delete(key: string): Promise<void> {
    await this.inner.delete(key);
    this.deleted.push(key);
  }
}

/** A store that notes how many HEADs were in flight at once, at most. */
class HeadCountingStore extends DelegatingStore {
  inFlight = 0;
  mostInFlight = 0;
  override async head(key: string): Promise<ObjectInfo | undefined> {
    this.mostInFlight = Math.max(this.mostInFlight, ++this.inFlight);
    try {
      return await this.inner.head(key);
    } finally {
      this.inFlight--;
    }
  }
}

async function writeBackup(repository: BackupRepository, name: string, options: { retention?: Retention; expiration?: string | null } = {}): Promise<BackupRecord> {
  const keys = backupKeys(name);
  const putOptions = options.retention ? { retention: options.retention } : {};
  const archive = await repository.store.put(keys.archive, bodyOf(`archive of ${name}`), putOptions);
  const logs = await repository.store.put(keys.logs, bodyOf(`log of ${name}`), putOptions);
  const record = sampleBackupRecord(name, { artifacts: [archive, logs], ...(options.expiration !== undefined ? { expiration: options.expiration } : {}) });
  await repository.commit(record, options.retention);
  return record;
}

for (const fixture of [fileFixture(), s3Fixture()]) {
  describe(`backup and restore repositories: ${fixture.name}`, function () {
    this.timeout(60_000);
    let store: DeletionRecordingStore;
    let backups: BackupRepository;
    let restores: RestoreRepository;

    before(() => fixture.start());
    after(() => fixture.stop());
    beforeEach(async () => {
      store = new DeletionRecordingStore(await fixture.fresh({ listPageSize: 3 }));
      backups = new BackupRepository(store, { locationLabel: 'location "default"', concurrency: 4 });
      restores = new RestoreRepository(store, { locationLabel: 'location "default"' });
    });

    it('lists the backups that have a record, and only those', async () => {
      const b1 = await writeBackup(backups, 'b1');
      const b2 = await writeBackup(backups, 'b2');
      await store.put(backupKeys('unfinished').archive, bodyOf('died before its record'));
      assert.deepEqual(await backups.names(), ['b1', 'b2']);
      const listing = await backups.list();
      assert.deepEqual(listing.records, [b1, b2]);
      assert.deepEqual(listing.unreadable, []);
      assert.deepEqual(await backups.get('b2'), b2);
      assert.equal(await backups.get('unfinished'), undefined);
      assert.equal(await backups.exists('b1'), true);
      assert.equal(await backups.exists('unfinished'), false);
    });

    it('reads many records, page after page', async () => {
      const names = Array.from({ length: 12 }, (_, i) => `many-${String(i).padStart(2, '0')}`);
      for (const name of names) await writeBackup(backups, name);
      const listing = await backups.list();
      assert.deepEqual(
        listing.records.map((record) => record.metadata.name),
        names,
      );
    });

    it('says which backup does not exist, as bad input, with a pointer', async () => {
      await assert.rejects(backups.require('nope'), (err: Error & { exitCode?: number }) => {
        assert.ok(err instanceof RecordNotFoundError);
        assert.equal(err.exitCode, ExitCode.BadInput);
        assert.equal(err.message, 'backup "nope" not found in location "default"; see: kubectl backup get');
        return true;
      });
      await assert.rejects(restores.require('r9'), { message: 'restore "r9" not found in location "default"; see: kubectl backup restore get' });
      await store.put(`${backupKeys('velero-only').dir}velero-backup.json`, bodyOf('{}'));
      assert.deepEqual((await backups.list()).veleroOnly, ['velero-only']);
      for (const refused of [() => backups.require('velero-only'), () => backups.delete('velero-only')]) {
        await assert.rejects(refused(), { message: /^backup "velero-only" not found in location "default" \(a Velero backup of that name is there; .*\); see: kubectl backup get$/ });
      }
    });

    it('lists readable records and names the unreadable ones', async () => {
      const good = await writeBackup(backups, 'good');
      await store.put(backupKeys('broken').record, bodyOf('{"apiVersion": "kubectl-backup.io/v1", '));
      await store.put(backupKeys('moved').record, bodyOf(JSON.stringify(sampleBackupRecord('elsewhere', { artifacts: [] }))));
      // Never read whole: a record is small, whatever storage holds under its key.
      await store.put(backupKeys('huge').record, bodyOf(`${JSON.stringify(sampleBackupRecord('huge', { artifacts: [] }))}${' '.repeat(MAX_RECORD_BYTES)}`));
      const listing = await backups.list();
      assert.deepEqual(listing.records, [good]);
      assert.deepEqual(
        listing.unreadable.map(({ name, error }) => [name, error instanceof InvalidRecordError, error.message.replace(/\(.*\)/, '(...)')]),
        [
          ['broken', true, 'invalid record "backups/broken/kubectl-backup.json": it is not valid JSON (...)'],
          ['huge', true, `invalid record "backups/huge/kubectl-backup.json": it is larger than ${MAX_RECORD_BYTES} bytes`],
          ['moved', true, 'invalid record "backups/moved/kubectl-backup.json": metadata.name is "elsewhere" but the record is stored as "moved"'],
        ],
      );
      await assert.rejects(backups.get('broken'), InvalidRecordError);
    });

    it('asks about every artifact of a record at once before committing it (a round trip each on S3)', async () => {
      const counting = new HeadCountingStore(store);
      await writeBackup(new BackupRepository(counting), 'together');
      assert.equal(counting.mostInFlight, 2);
    });

    it('commits a record only over artifacts that are there, and only once', async () => {
      const keys = backupKeys('c1');
      const archive = await store.put(keys.archive, bodyOf('archive'));
      const missing = { key: keys.logs, size: 3, sha256: 'b'.repeat(64) };
      await assert.rejects(backups.commit(sampleBackupRecord('c1', { artifacts: [archive, missing] })), (err: Error) => {
        assert.ok(err instanceof StorageError);
        assert.match(err.message, /cannot write record "backups\/c1\/kubectl-backup\.json" in .*: its artifact "backups\/c1\/c1-logs\.gz" is not there/);
        return true;
      });
      await assert.rejects(backups.commit(sampleBackupRecord('c1', { artifacts: [{ ...archive, size: archive.size + 1 }] })), /has 7 bytes, not 8/);
      // Checked as a reader will check it: a record that would not read back is never written.
      const elsewhere = await store.put(backupKeys('other').archive, bodyOf('other'));
      await assert.rejects(backups.commit(sampleBackupRecord('c1', { artifacts: [elsewhere] })), (err: Error) => {
        assert.ok(err instanceof InvalidRecordError, String(err));
        assert.match(err.message, /status\.artifacts\[0\]\.key must name an object under backups\/c1\/ other than the record/);
        return true;
      });
      await assert.rejects(restores.commit(sampleRestoreRecord('r9', { backupName: 'Not A Name', artifacts: [] })), InvalidRecordError);
      assert.equal(await restores.exists('r9'), false);
      assert.equal(await backups.exists('c1'), false);
      await backups.commit(sampleBackupRecord('c1', { artifacts: [archive] }));
      await assert.rejects(backups.commit(sampleBackupRecord('c1', { artifacts: [archive] })), (err: Error & { exitCode?: number }) => {
        assert.ok(err instanceof RecordExistsError);
        assert.equal(err.message, 'backup "c1" already exists');
        assert.equal(err.exitCode, ExitCode.BadInput);
        return true;
      });
    });

    it('makes way for a new run: refuses a finished name, clears what a dead run left', async () => {
      await writeBackup(backups, 'done');
      await assert.rejects(backups.prepareCreate('done'), { message: 'backup "done" already exists' });
      const keys = backupKeys('again');
      await store.put(keys.archive, bodyOf('half an archive'));
      await store.put(keys.resourceList, bodyOf('a list'));
      assert.deepEqual((await backups.prepareCreate('again')).sort(), [keys.archive, keys.resourceList].sort());
      assert.deepEqual(await keysOf(store, keys.dir), []);
      await writeBackup(backups, 'again');
      assert.equal(await backups.exists('again'), true);
      assert.deepEqual(await backups.prepareCreate('fresh'), []);
    });

    it('takes a Velero backup of the name for a finished backup: refused as bad input, nothing removed', async () => {
      const dir = backupKeys('velero-made').dir;
      const velero = [`${dir}velero-backup.json`, `${dir}velero-made.tar.gz`, `${dir}velero-made-logs.gz`];
      for (const key of velero) await store.put(key, bodyOf(`velero's ${key}`));
      await assert.rejects(backups.prepareCreate('velero-made'), (err: Error & { exitCode?: number }) => {
        assert.ok(err instanceof RecordExistsError, String(err));
        assert.equal(err.message, 'backup "velero-made" already exists (a Velero backup)');
        assert.equal(err.exitCode, ExitCode.BadInput);
        return true;
      });
      assert.deepEqual(store.deleted, []);
      assert.deepEqual((await keysOf(store, dir)).sort(), [...velero].sort());
    });

    it("refuses a restore name whose directory holds objects without a record (Velero's restore files are named as ours): nothing removed", async () => {
      // Velero writes no record of a restore; its files cannot be told from what a dead run left.
      const keys = restoreKeys('r1');
      const velero = [keys.logs, keys.results, keys.resourceList];
      for (const key of velero) await store.put(key, bodyOf(`velero's ${key}`));
      await assert.rejects(restores.prepareCreate('r1'), (err: Error & { exitCode?: number }) => {
        assert.ok(err instanceof RecordExistsError, String(err));
        assert.match(err.message, /^restore "r1" already exists \(its directory holds objects without a record: a Velero restore of that name, or what an unfinished restore left\); choose another name/);
        assert.equal(err.exitCode, ExitCode.BadInput);
        return true;
      });
      assert.deepEqual(store.deleted, []);
      assert.deepEqual((await keysOf(store, keys.dir)).sort(), [...velero].sort());
      assert.deepEqual(await restores.prepareCreate('r2'), []);
    });

    it('deletes only its record where a Velero backup of the same name shares the directory', async () => {
      await writeBackup(backups, 'shared');
      const keys = backupKeys('shared');
      await store.put(`${keys.dir}velero-backup.json`, bodyOf('{}'));
      const result = await backups.delete('shared');
      assert.deepEqual(result.removed, [keys.record]);
      assert.deepEqual([...result.kept].sort(), [keys.archive, keys.logs, `${keys.dir}velero-backup.json`].sort());
      assert.deepEqual(store.deleted, [keys.record]);
      assert.deepEqual(await backups.names(), []);
    });

    it('deletes the record first, then every object of the backup', async () => {
      await writeBackup(backups, 'b1');
      await writeBackup(backups, 'b2');
      await store.put(`${backupKeys('b1').dir}stray-file`, bodyOf('not in the record'));
      const result = await backups.delete('b1');
      assert.equal(result.name, 'b1');
      assert.equal(store.deleted[0], backupKeys('b1').record);
      assert.deepEqual([...result.removed].sort(), [backupKeys('b1').record, backupKeys('b1').archive, backupKeys('b1').logs, `${backupKeys('b1').dir}stray-file`].sort());
      assert.deepEqual(await keysOf(store, backupKeys('b1').dir), []);
      assert.deepEqual(await backups.names(), ['b2']);
      await assert.rejects(backups.delete('b1'), RecordNotFoundError);
    });

    it('finds directories without a record, with their age, and removes them', async () => {
      await writeBackup(backups, 'finished');
      await store.put(backupKeys('dead').archive, bodyOf('partial'));
      await store.put(`${backupKeys('velero-made').dir}velero-backup.json`, bodyOf('{}'));
      await store.put(`${backupKeys('velero-made').dir}velero-made.tar.gz`, bodyOf('velero archive'));
      const later = new Date(Date.now() + 25 * 3600 * 1000);
      const orphans = await backups.orphans(later);
      assert.deepEqual(
        orphans.map((orphan) => [orphan.name, orphan.objects.map((object) => object.key)]),
        [['dead', [backupKeys('dead').archive]]],
      );
      const [dead] = orphans;
      assert.ok(dead && dead.ageMs > 24 * 3600 * 1000 && dead.ageMs < 26 * 3600 * 1000, `age ${dead?.ageMs}`);
      assert.deepEqual(await backups.deleteOrphan(dead), [backupKeys('dead').archive]);
      assert.deepEqual(await backups.orphans(later), []);
      assert.deepEqual(await backups.names(), ['finished']);
    });

    it('leaves an orphan alone once its record appeared', async () => {
      const keys = backupKeys('late');
      await store.put(keys.archive, bodyOf('archive'));
      const [orphan] = await backups.orphans();
      assert.ok(orphan);
      await store.put(keys.record, bodyOf(JSON.stringify(sampleBackupRecord('late', { artifacts: [] }))));
      assert.deepEqual(await backups.deleteOrphan(orphan), []);
      assert.ok(await store.head(keys.archive));
    });

    it('leaves an orphan alone once Velero wrote its record there', async () => {
      const dir = backupKeys('velero-late').dir;
      await store.put(`${dir}velero-late-logs.gz`, bodyOf('velero log, written before its record'));
      const [orphan] = await backups.orphans();
      assert.ok(orphan);
      await store.put(`${dir}velero-backup.json`, bodyOf('{}'));
      assert.deepEqual(await backups.deleteOrphan(orphan), []);
      assert.deepEqual(store.deleted, []);
    });

    it('finds expired backups', async () => {
      await writeBackup(backups, 'old', { expiration: '2020-01-01T00:00:00Z' });
      await writeBackup(backups, 'forever', { expiration: null });
      await writeBackup(backups, 'future', { expiration: '2999-01-01T00:00:00Z' });
      assert.deepEqual(
        (await backups.expired(new Date())).map((record) => record.metadata.name),
        ['old'],
      );
    });

    it('keeps restores the same way, and finds those made from a backup', async () => {
      for (const [name, backupName] of [
        ['r1', 'b1'],
        ['r2', 'b2'],
        ['r3', 'b1'],
      ] as const) {
        const logs = await store.put(restoreKeys(name).logs, bodyOf(`restore log ${name}`));
        await restores.commit(sampleRestoreRecord(name, { backupName, artifacts: [logs] }));
      }
      assert.deepEqual(await restores.names(), ['r1', 'r2', 'r3']);
      assert.deepEqual(
        (await restores.fromBackup('b1')).map((record) => record.metadata.name),
        ['r1', 'r3'],
      );
      await assert.rejects(restores.commit(sampleRestoreRecord('r1', { artifacts: [] })), { message: 'restore "r1" already exists; choose another name, or leave NAME out for one made from the backup name and the time' });
      await restores.delete('r1');
      assert.deepEqual(await restores.names(), ['r2', 'r3']);
      assert.deepEqual(await keysOf(store, restoreKeys('r1').dir), []);
      assert.deepEqual(await backups.names(), []);
    });

    if (fixture.supportsRetention) {
      it('refuses to delete a backup under retention, with the date, removing nothing', async () => {
        const retainUntil = new Date(Date.now() + 30 * 86_400_000);
        retainUntil.setUTCMilliseconds(0);
        await writeBackup(backups, 'locked', { retention: { mode: 'COMPLIANCE', retainUntil } });
        const before = await keysOf(store, backupKeys('locked').dir);
        await assert.rejects(backups.delete('locked'), (err: Error & { exitCode?: number }) => {
          assert.ok(err instanceof RecordLockedError, String(err));
          assert.equal(err.retainUntil?.getTime(), retainUntil.getTime());
          assert.equal(err.exitCode, ExitCode.Failed);
          assert.equal(err.message, `backup "locked" cannot be deleted yet: its storage keeps it under object lock retention until ${retainUntil.toISOString()}; nothing was removed`);
          return true;
        });
        assert.deepEqual(await keysOf(store, backupKeys('locked').dir), before);
        assert.deepEqual(store.deleted, []);
        assert.deepEqual(await backups.names(), ['locked']);
      });

      it('says so when a dead run left objects under retention', async () => {
        const retainUntil = new Date(Date.now() + 86_400_000);
        await store.put(backupKeys('stuck').archive, bodyOf('partial'), { retention: { mode: 'COMPLIANCE', retainUntil } });
        await assert.rejects(backups.prepareCreate('stuck'), (err: Error) => {
          assert.ok(err instanceof RecordLockedError);
          assert.match(err.message, /^backup "stuck" cannot be created again yet, because an unfinished earlier run left objects: its storage keeps it under object lock retention until /);
          return true;
        });
      });
    }
  });
}
