import assert from 'node:assert/strict';
import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VerifyReport } from '../../src/backup-records/verify-backup.js';
import { ExitCode } from '../../src/errors.js';
import { backupKeys } from '../../src/storage/layout.js';
import { startBackupCommandFixture, type BackupCommandFixture } from '../builders/backup-command-fixture.js';
import { requireExecutable } from '../helpers/plugin.js';

/** `kubectl backup verify` through kubectl and the built executable. */
describe('backup verify', function () {
  this.timeout(60_000);
  let f: BackupCommandFixture;

  before(async () => {
    requireExecutable();
    f = await startBackupCommandFixture('verify');
    await f.backup('shop-1', { filters: { includeNamespaces: ['shop'] } });
    await f.backup('vaulted', { location: 'vault' });
  });
  after(() => f?.close());

  it('re-reads every artifact and reports each ✓ when all match', async () => {
    const result = await f.run(['verify', 'shop-1']);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'Verifying backup "shop-1" in location "default" (4 artifacts)');
    const keys = backupKeys('shop-1');
    assert.deepEqual(
      lines.slice(1, 5).map((l) => l.trim().split(/\s+/).slice(0, 2)),
      [keys.archive, keys.resourceList, keys.results, keys.logs].map((k) => ['✓', k]),
    );
    for (const line of lines.slice(1, 5)) assert.match(line, /sha256:[0-9a-f]{64}$/);
    assert.equal(lines[5], 'All 4 artifacts match the record.');
  });

  it('verifies a backup in a write-once S3 location', async () => {
    const result = await f.run(['verify', 'vaulted', '--storage-location', 'vault']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Verifying backup "vaulted" in location "vault" \(4 artifacts\)$/m);
    assert.match(result.stdout, /^All 4 artifacts match the record\.$/m);
  });

  it('reports each mismatch with ✗ and its problem, and exits 2', async () => {
    await f.backup('broken', { filters: { includeNamespaces: ['blog'] } });
    const keys = backupKeys('broken');
    const archive = join(f.dir, ...keys.archive.split('/'));
    const bytes = await readFile(archive);
    bytes[bytes.length - 20] = bytes[bytes.length - 20]! ^ 0xff;
    await writeFile(archive, bytes);
    await unlink(join(f.dir, ...keys.logs.split('/')));
    const result = await f.run(['verify', 'broken']);
    assert.equal(result.code, ExitCode.BadInput, result.stderr);
    assert.match(result.stdout, new RegExp(`^ {2}✗ ${keys.archive.replace(/\./g, '\\.')} +its sha256 is [0-9a-f]{64}, its record says [0-9a-f]{64}$`, 'm'));
    assert.match(result.stdout, new RegExp(`^ {2}✓ ${keys.results.replace(/\./g, '\\.')} `, 'm'));
    assert.match(result.stdout, new RegExp(`^ {2}✗ ${keys.logs.replace(/\./g, '\\.')} +it is missing from storage$`, 'm'));
    assert.match(result.stdout, /^2 of 4 artifacts do not match the record: backup "broken" cannot be trusted\.$/m);

    const json = await f.run(['verify', 'broken', '-o', 'json']);
    assert.equal(json.code, ExitCode.BadInput);
    const report = JSON.parse(json.stdout) as VerifyReport;
    assert.equal(report.ok, false);
    assert.deepEqual(report.artifacts.map((a) => a.ok), [false, true, true, false]);
  });

  it('refuses unknown backups and bad names with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['verify', 'nope'], /^Error: backup "nope" not found in location "default"; see: kubectl backup get$/m],
      [['verify', 'vaulted'], /^Error: backup "vaulted" not found in location "default"; see: kubectl backup get$/m],
      [['verify', 'a/b'], /^Error: invalid backup name "a\/b"/m],
      [['verify', 'shop-1', '--storage-location', 'nowhere'], /^Error: storage location "nowhere" not found/m],
    ];
    for (const [args, message] of cases) {
      const result = await f.run(args);
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
  });
});
