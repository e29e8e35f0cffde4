import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { appendFile, readdir, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDownloadTarget, defaultDownloadPath, downloadArchive } from '../../src/backup-records/download-archive.js';
import { verifyBackup, type ArtifactCheck } from '../../src/backup-records/verify-backup.js';
import { ExitCode } from '../../src/errors.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys } from '../../src/storage/layout.js';
import { storeBackup } from '../builders/stored-backup.js';

describe('backup verify and download: artifacts checked against the record', () => {
  const root = mkdtempSync(join(tmpdir(), 'kb-verify-'));
  const out = mkdtempSync(join(tmpdir(), 'kb-download-'));
  const store = new FileObjectStore(root);
  const file = (key: string) => join(root, ...key.split('/'));

  after(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  });

  const badInput = (message: RegExp) => (err: Error & { exitCode?: number }) => {
    assert.equal(err.exitCode, ExitCode.BadInput, err.message);
    assert.match(err.message, message);
    return true;
  };

  it('reports every artifact ✓ when all match', async () => {
    const record = await storeBackup(store, 'good');
    const seen: ArtifactCheck[] = [];
    const report = await verifyBackup(store, record, (check) => seen.push(check));
    assert.equal(report.ok, true);
    assert.deepEqual(
      seen.map((c) => [c.key, c.ok]),
      record.status.artifacts.map((a) => [a.key, true]),
    );
  });

  it('reports a changed, a truncated and a missing artifact, each with its problem', async () => {
    const record = await storeBackup(store, 'bad');
    const keys = backupKeys('bad');
    const archive = record.status.artifacts.find((a) => a.key === keys.archive)!;
    await writeFile(file(keys.archive), Buffer.alloc(archive.size, 1));
    await truncate(file(keys.resourceList), 3);
    await unlink(file(keys.logs));
    const report = await verifyBackup(store, record);
    assert.equal(report.ok, false);
    const byKey = new Map(report.artifacts.map((c) => [c.key, c]));
    assert.match(byKey.get(keys.archive)!.problem!, /^its sha256 is [0-9a-f]{64}, its record says [0-9a-f]{64}$/);
    assert.match(byKey.get(keys.resourceList)!.problem!, /^it has 3 bytes, its record says \d+$/);
    assert.equal(byKey.get(keys.logs)!.problem, 'it is missing from storage');
    assert.equal(byKey.get(keys.results)!.ok, true);
  });

  it('fails a finished backup whose record lists no archive', async () => {
    const record = await storeBackup(store, 'no-archive', { without: ['archive'] });
    const report = await verifyBackup(store, record);
    assert.deepEqual(report.artifacts[0], { key: backupKeys('no-archive').archive, size: 0, sha256: '', ok: false, problem: 'the record lists no archive' });
  });

  describe('download', () => {
    let record: Awaited<ReturnType<typeof storeBackup>>;
    before(async () => {
      record = await storeBackup(store, 'dl');
    });

    it('writes NAME-data.tar.gz, readable by its owner only, with the recorded bytes', async () => {
      const target = await checkDownloadTarget(defaultDownloadPath('dl', out), false);
      assert.equal(target.path, join(out, 'dl-data.tar.gz'));
      const result = await downloadArchive(store, record, target);
      const archive = record.status.artifacts.find((a) => a.key === backupKeys('dl').archive)!;
      assert.deepEqual(result, { path: target.path, key: archive.key, size: archive.size, sha256: archive.sha256 });
      assert.deepEqual(await readFile(target.path), await readFile(file(archive.key)));
      assert.equal((await stat(target.path)).mode & 0o777, 0o600);
      assert.deepEqual(await readdir(out), ['dl-data.tar.gz'], 'no temporary file is left');
    });

    it('refuses to overwrite without --force, before reading anything', async () => {
      await assert.rejects(checkDownloadTarget(join(out, 'dl-data.tar.gz'), false), badInput(/dl-data\.tar\.gz already exists; give --force to replace it, or another file with -o$/));
      await assert.rejects(checkDownloadTarget(join(out, 'missing-dir', 'x.tar.gz'), false), badInput(/directory .*missing-dir does not exist$/));
      await assert.rejects(checkDownloadTarget(out, true), badInput(/it is a directory; give a file name with -o$/));
    });

    it('replaces the file with --force', async () => {
      const path = join(out, 'forced.tar.gz');
      await writeFile(path, 'old');
      await downloadArchive(store, record, await checkDownloadTarget(path, true));
      assert.deepEqual(await readFile(path), await readFile(file(backupKeys('dl').archive)));
    });

    it('on a mismatch leaves no partial file, keeps the file --force would replace, and names the artifact', async () => {
      const tampered = await storeBackup(store, 'dl-bad');
      await appendFile(file(backupKeys('dl-bad').archive), 'garbage');
      const fresh = join(out, 'fresh.tar.gz');
      await assert.rejects(
        downloadArchive(store, tampered, await checkDownloadTarget(fresh, false)),
        badInput(/^artifact "backups\/dl-bad\/dl-bad\.tar\.gz" failed its integrity check: it is larger than the \d+ bytes its record says$/),
      );
      const kept = join(out, 'kept.tar.gz');
      await writeFile(kept, 'keep me');
      await assert.rejects(downloadArchive(store, tampered, await checkDownloadTarget(kept, true)), /failed its integrity check/);
      assert.equal(await readFile(kept, 'utf8'), 'keep me');
      assert.deepEqual((await readdir(out)).sort(), ['dl-data.tar.gz', 'forced.tar.gz', 'kept.tar.gz']);
    });

    it('says a backup without an archive has none to download', async () => {
      const failed = await storeBackup(store, 'failed', { phase: 'Failed', without: ['archive', 'resourceList'] });
      await assert.rejects(downloadArchive(store, failed, await checkDownloadTarget(join(out, 'f.tar.gz'), false)), badInput(/^backup "failed" has no archive \(it ended Failed\); see: kubectl backup describe failed$/));
    });
  });
});
