import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupCatalog } from '../../src/backup-records/backup-catalog.js';
import { staleAfterMs } from '../../src/cluster-records/backup-object-liveness.js';
import { entryDocument, entryPhase, type BackupEntry } from '../../src/backup-records/backup-entry.js';
import { backupColumns, formatCreated, formatExpires } from '../../src/backup-records/backup-table.js';
import { renderTable } from '../../src/cli/output.js';
import { BackupObjects } from '../../src/cluster-records/backup-objects.js';
import { ExitCode } from '../../src/errors.js';
import type { Logger } from '../../src/log/logger.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { FakeBackupCluster } from '../builders/fake-backup-cluster.js';
import { storeBackup } from '../builders/stored-backup.js';

describe('backup get: storage records and running backups', () => {
  const root = mkdtempSync(join(tmpdir(), 'kb-get-'));
  const store = new FileObjectStore(root);
  const now = new Date('2030-01-10T00:00:00Z');
  let cluster: FakeBackupCluster;
  const warnings: string[] = [];
  const logger: Logger = { log: (level, message) => level === 'warn' && warnings.push(message) };

  const catalog = (objects: BackupObjects | undefined = new BackupObjects(cluster, 'kubectl-backup')) =>
    new BackupCatalog(new BackupRepository(store, { locationLabel: 'location "default"' }), {
      ...(objects ? { objects } : {}),
      locationReference: 'default',
      locationLabel: 'location "default"',
      logger,
      now: () => now,
    });

  before(async () => {
    await storeBackup(store, 'old', { start: new Date('2030-01-01T00:00:00Z'), labels: { team: 'data' } });
    await storeBackup(store, 'new', { start: new Date('2030-01-09T00:00:00Z'), expiration: null, spec: { labelSelector: 'app=web' } });
    // A record that does not parse: reported, never listed.
    await mkdir(join(root, 'backups', 'broken'), { recursive: true });
    await writeFile(join(root, 'backups', 'broken', 'kubectl-backup.json'), '{"apiVersion": "kubectl-backup.io/v1"');
  });
  beforeEach(() => {
    cluster = new FakeBackupCluster();
    warnings.length = 0;
  });
  after(() => rm(root, { recursive: true, force: true }));

  const running = (over: Record<string, unknown> = {}) => ({ phase: 'InProgress', startTimestamp: '2030-01-09T23:59:00Z', lastUpdateTimestamp: '2030-01-09T23:59:50Z', progress: { totalItems: 100, itemsBackedUp: 40 }, ...over });

  it('lists records newest first and adds backups that have no record yet', async () => {
    cluster.put('running', { storageLocation: 'default', ttl: '720h0m0s' }, running());
    cluster.put('elsewhere', { storageLocation: 'other' }, running());
    cluster.put('new', { storageLocation: 'default' }, running({ phase: 'Failed' }));
    cluster.put('gone-from-storage', { storageLocation: 'default' }, { phase: 'Completed' });
    const { backups, unreadable } = await catalog().list();
    assert.deepEqual(
      backups.map((b) => [b.name, b.source, entryPhase(b)]),
      [
        ['running', 'cluster', 'InProgress'],
        ['new', 'storage', 'Completed'],
        ['old', 'storage', 'Completed'],
      ],
      'the record wins over an object of the same name; objects of other locations, and finished objects without a record, are not backups here',
    );
    assert.deepEqual(unreadable.map((u) => u.name), ['broken']);
    assert.match(unreadable[0]!.error.message, /^invalid record "backups\/broken\/kubectl-backup\.json": it is not valid JSON/);
  });

  it('shows a running backup whose process on this machine is gone as Failed at once, saying why', async () => {
    const here = { host: 'builder', space: 'boot-1/pid:[1]', pid: 100, start: '500', probe: () => ({ state: 'gone' as const }) };
    const annotations = { 'kubectl-backup.io/run-host': 'builder', 'kubectl-backup.io/run-pid-space': 'boot-1/pid:[1]', 'kubectl-backup.io/run-pid': '4242' };
    cluster.put('killed-here', { storageLocation: 'default' }, running(), {}, annotations);
    const withProcesses = (probe: typeof here.probe | (() => { state: 'running' })) =>
      new BackupCatalog(new BackupRepository(store, { locationLabel: 'location "default"' }), { objects: new BackupObjects(cluster, 'kubectl-backup'), locationReference: 'default', locationLabel: 'location "default"', logger, now: () => now, processes: () => ({ ...here, probe }) });
    const entry = await withProcesses(here.probe).require('killed-here');
    assert.equal(entryPhase(entry), 'Failed');
    assert.equal(entry.source === 'cluster' && entry.failureReason, 'the process taking the backup (pid 4242 on builder) ended without finishing it (killed?); it left no record, and kubectl backup gc removes what it wrote');
    assert.equal(entryPhase(await withProcesses(() => ({ state: 'running' })).require('killed-here')), 'InProgress', 'a process that still runs is running');
  });

  it('shows a running backup that stopped reporting as Failed, saying why', async () => {
    const last = new Date(now.getTime() - staleAfterMs - 1000).toISOString();
    cluster.put('killed', { storageLocation: 'default' }, running({ lastUpdateTimestamp: last }));
    const entry = await catalog().require('killed');
    assert.equal(entryPhase(entry), 'Failed');
    assert.equal(entry.source === 'cluster' && entry.failureReason, `the process taking the backup stopped reporting at ${last} (killed?); it left no record, and kubectl backup gc removes what it wrote`);
    assert.equal((entryDocument(entry) as { status: { phase: string } }).status.phase, 'Failed');
  });

  it('answers from storage alone without the CRDs, without a cluster, or when the cluster fails', async () => {
    cluster.put('running', { storageLocation: 'default' }, running());
    cluster.installed = false;
    assert.deepEqual((await catalog().list()).backups.map((b) => b.name), ['new', 'old']);
    assert.deepEqual((await catalog(undefined).list()).backups.map((b) => b.name), ['new', 'old']);
    const failing = new BackupObjects({ server: 'x', json: () => Promise.reject(new Error('connect ECONNREFUSED')), stream: () => Promise.reject(new Error('no')) }, 'kubectl-backup');
    assert.deepEqual((await catalog(failing).list()).backups.map((b) => b.name), ['new', 'old']);
    assert.deepEqual(warnings, ['cannot read Backup objects from the cluster; listing what storage holds']);
  });

  it('says an unknown backup is not found in the location (exit 2), and that a running one has no data yet', async () => {
    await assert.rejects(catalog().require('nope'), (err: Error & { exitCode?: number }) => {
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.equal(err.message, 'backup "nope" not found in location "default"; see: kubectl backup get');
      return true;
    });
    cluster.put('running', { storageLocation: 'default' }, running());
    await assert.rejects(catalog().requireRecord('running'), /^BadInputError: backup "running" is InProgress and has no data in storage yet; see: kubectl backup describe running$/);
    assert.equal((await catalog().requireRecord('old')).metadata.name, 'old');
  });

  it("prints Velero's columns", async () => {
    cluster.put('running', { storageLocation: 'default', orLabelSelectors: ['a=b', 'c=d'] }, running());
    const { backups } = await catalog().list();
    const table = renderTable<BackupEntry>(backups, backupColumns(now)).trimEnd().split('\n');
    assert.deepEqual(table[0]!.split(/\s{3,}/), ['NAME', 'STATUS', 'ERRORS', 'WARNINGS', 'CREATED', 'EXPIRES', 'STORAGE LOCATION', 'SELECTOR']);
    assert.deepEqual(table[1]!.split(/\s{3,}/), ['running', 'InProgress', '0', '0', '2030-01-09 23:59:00 +0000 UTC', 'n/a', 'default', 'a=b or c=d']);
    assert.deepEqual(table[2]!.split(/\s{3,}/), ['new', 'Completed', '0', '0', '2030-01-09 00:00:00 +0000 UTC', '<never>', 'default', 'app=web']);
    assert.deepEqual(table[3]!.split(/\s{3,}/), ['old', 'Completed', '0', '0', '2030-01-01 00:00:00 +0000 UTC', '21d', 'default', '<none>']);
  });

  it('formats times as Velero does', () => {
    assert.equal(formatCreated('2030-01-09T23:59:00.123Z'), '2030-01-09 23:59:00 +0000 UTC');
    assert.equal(formatCreated(undefined), '<n/a>');
    assert.equal(formatExpires('2030-01-10T05:00:00Z', now), '5h');
    assert.equal(formatExpires('2030-01-07T00:00:00Z', now), '3d ago');
    assert.equal(formatExpires(null, now), '<never>');
    assert.equal(formatExpires(undefined, now), 'n/a');
  });
});
