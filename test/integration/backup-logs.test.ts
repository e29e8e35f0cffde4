import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ExitCode } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { backupKeys } from '../../src/storage/layout.js';
import { startBackupCommandFixture, toolNamespace as ns, type BackupCommandFixture } from '../builders/backup-command-fixture.js';
import { requireExecutable } from '../helpers/plugin.js';

/** `kubectl backup logs` through kubectl and the built executable. */
describe('backup logs', function () {
  this.timeout(60_000);
  let f: BackupCommandFixture;

  const lines = (stdout: string) =>
    stdout
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { level: string; msg: string; backup?: string });

  before(async () => {
    requireExecutable();
    f = await startBackupCommandFixture('logs');
    await f.backup('shop-1', { filters: { includeNamespaces: ['shop'] } });
    await f.backup('vaulted', { location: 'vault' });
  });
  after(() => f?.close());

  it("prints the backup's log, gunzipped, one JSON object a line", async () => {
    const result = await f.run(['logs', 'shop-1']);
    assert.equal(result.code, 0, result.stderr);
    const log = lines(result.stdout);
    assert.deepEqual(log[0], { ...log[0], level: 'info', msg: 'backup starting', backup: 'shop-1' });
    assert.ok(log.some((l) => l.msg === 'archive written'));
  });

  it('reads the log from a write-once S3 location', async () => {
    const result = await f.run(['logs', 'vaulted', '--storage-location', 'vault']);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(lines(result.stdout)[0]!.backup, 'vaulted');
  });

  it('fails with an error naming the artifact when the log does not match its record', async () => {
    await f.backup('tampered', { filters: { includeNamespaces: ['blog'] } });
    const path = join(f.dir, ...backupKeys('tampered').logs.split('/'));
    const original = await readFile(path);
    // Same size, other bytes: only the sha256 tells.
    await writeFile(path, Buffer.concat([gzipSync('{"msg":"forged"}\n'), Buffer.alloc(original.length)]).subarray(0, original.length));
    const result = await f.run(['logs', 'tampered']);
    assert.equal(result.code, ExitCode.BadInput, result.stderr);
    assert.match(result.stderr, /^Error: artifact "backups\/tampered\/tampered-logs\.gz" failed its integrity check: its sha256 is [0-9a-f]{64}, its record says [0-9a-f]{64}$/m);
  });

  it('refuses a backup without data yet, and unknown ones, with exit code 2', async () => {
    await f.client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name: 'running', namespace: ns }, spec: { storageLocation: 'default' } } });
    const now = new Date().toISOString();
    await f.client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, 'running')}/status`, contentType: 'application/merge-patch+json', body: { status: { phase: 'InProgress', startTimestamp: now, lastUpdateTimestamp: now } } });
    const cases: [string[], RegExp][] = [
      [['logs', 'running'], /^Error: backup "running" is InProgress and has no data in storage yet; see: kubectl backup describe running$/m],
      [['logs', 'nope'], /^Error: backup "nope" not found in location "default"; see: kubectl backup get$/m],
      [['logs', 'shop-1', '--storage-location', 'vault'], /^Error: backup "shop-1" not found in location "vault"; see: kubectl backup get$/m],
      [['logs'], /Missing 1 required arg/],
    ];
    for (const [args, message] of cases) {
      const result = await f.run(args);
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '');
    }
  });
});
