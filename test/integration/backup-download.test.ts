import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { resolveLocation } from '../../src/location/resolve.js';
import { backupKeys } from '../../src/storage/layout.js';
import { startBackupCommandFixture, toolNamespace as ns, type BackupCommandFixture } from '../builders/backup-command-fixture.js';
import { requireExecutable } from '../helpers/plugin.js';

/** `kubectl backup download` through kubectl and the built executable. */
describe('backup download', function () {
  this.timeout(60_000);
  let f: BackupCommandFixture;

  const stored = async (name: string, location: 'default' | 'vault' = 'default'): Promise<Buffer> => {
    const { store } = await resolveLocation({ storageLocation: location }, { client: f.client, namespace: ns, env: { ...f.s3.env } });
    const chunks: Buffer[] = [];
    for await (const chunk of await store.get(backupKeys(name).archive)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };

  before(async () => {
    requireExecutable();
    f = await startBackupCommandFixture('download');
    await f.backup('shop-1', { filters: { includeNamespaces: ['shop'] } });
    await f.backup('vaulted', { location: 'vault' });
  });
  after(() => f?.close());

  it('writes NAME-data.tar.gz in the current directory, checked, readable by its owner only', async () => {
    const cwd = await mkdtemp(join(f.scratch, 'cwd-'));
    const result = await f.run(['download', 'shop-1'], { cwd });
    assert.equal(result.code, 0, result.stderr);
    const file = join(cwd, 'shop-1-data.tar.gz');
    assert.match(result.stdout, new RegExp(`^Backup "shop-1" downloaded to ${file} \\([\\d.]+ (B|KiB)\\, sha256:[0-9a-f]{64}, checked against its record\\)\\n$`));
    assert.deepEqual(await readFile(file), await stored('shop-1'));
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(cwd), ['shop-1-data.tar.gz']);
  });

  it('downloads from a write-once S3 location to the file given with -o', async () => {
    const file = join(f.scratch, 'vaulted.tgz');
    const result = await f.run(['download', 'vaulted', '--storage-location', 'vault', '-o', file]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(await readFile(file), await stored('vaulted', 'vault'));
  });

  it('refuses to overwrite a file without --force (exit 2), and replaces it with --force', async () => {
    const file = join(f.scratch, 'existing.tgz');
    await writeFile(file, 'mine');
    const refused = await f.run(['download', 'shop-1', '-o', file]);
    assert.equal(refused.code, ExitCode.BadInput);
    assert.equal(refused.stderr, `Error: ${file} already exists; give --force to replace it, or another file with -o\n`);
    assert.equal(await readFile(file, 'utf8'), 'mine');
    const forced = await f.run(['download', 'shop-1', '-o', file, '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(await readFile(file), await stored('shop-1'));
  });

  it('on a checksum mismatch removes the partial file and names the artifact', async () => {
    await f.backup('tampered', { filters: { includeNamespaces: ['blog'] } });
    await appendFile(join(f.dir, ...backupKeys('tampered').archive.split('/')), Buffer.alloc(10));
    const cwd = await mkdtemp(join(f.scratch, 'bad-'));
    const result = await f.run(['download', 'tampered'], { cwd });
    assert.equal(result.code, ExitCode.BadInput);
    assert.match(result.stderr, /^Error: artifact "backups\/tampered\/tampered\.tar\.gz" failed its integrity check: it is larger than the \d+ bytes its record says$/m);
    assert.deepEqual(await readdir(cwd), [], 'nothing is left behind');
  });

  it('refuses bad input with exit code 2 before writing anything', async () => {
    const now = new Date().toISOString();
    await f.client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name: 'running', namespace: ns }, spec: { storageLocation: 'default' } } });
    await f.client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, 'running')}/status`, contentType: 'application/merge-patch+json', body: { status: { phase: 'InProgress', startTimestamp: now, lastUpdateTimestamp: now } } });
    const cwd = await mkdtemp(join(f.scratch, 'refused-'));
    const cases: [string[], RegExp][] = [
      [['download', 'nope'], /^Error: backup "nope" not found in location "default"; see: kubectl backup get$/m],
      [['download', 'running'], /^Error: backup "running" is InProgress and has no data in storage yet; see: kubectl backup describe running$/m],
      [['download', 'shop-1', '-o', join(cwd, 'no-dir', 'x.tgz')], /^Error: cannot write .*no-dir\/x\.tgz: directory .*no-dir does not exist$/m],
      [['download', 'shop-1', '-o', cwd], /it is a directory; give a file name with -o$/m],
      [['download', 'shop-1', '-o', `${join(cwd, 'new-dir')}/`], /^Error: cannot write .*new-dir\/: it names a directory; give a file name with -o$/m],
      [['download', 'Nope'], /^Error: invalid backup name "Nope"/m],
    ];
    for (const [args, message] of cases) {
      const result = await f.run(args, { cwd });
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
    assert.deepEqual(await readdir(cwd), []);
  });
});
