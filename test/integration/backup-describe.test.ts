import assert from 'node:assert/strict';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import type { BackupDescription } from '../../src/backup-records/backup-description.js';
import { ExitCode } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { backupKeys } from '../../src/storage/layout.js';
import { startBackupCommandFixture, toolNamespace as ns, type BackupCommandFixture } from '../builders/backup-command-fixture.js';
import { requireExecutable } from '../helpers/plugin.js';

const secretData = Buffer.from('s3cret-password').toString('base64');

/** `kubectl backup describe` through kubectl and the built executable. */
describe('backup describe', function () {
  this.timeout(60_000);
  let f: BackupCommandFixture;

  before(async () => {
    requireExecutable();
    f = await startBackupCommandFixture('describe');
    await f.backup('shop-1', { labels: { team: 'data' }, filters: { includeNamespaces: ['shop'], includeResources: ['configmaps', 'secrets', 'deployments', 'gadgets'] } });
    await f.backup('vaulted', { location: 'vault' });
  });
  after(() => f?.close());

  it('shows filters, phase, times, expiry, counts, Secrets by number, warnings and artifacts', async () => {
    const result = await f.run(['describe', 'shop-1']);
    assert.equal(result.code, 0, result.stderr);
    const text = result.stdout;
    for (const pattern of [
      /^Name: {9}shop-1$/m,
      /^Labels: {7}team=data$/m,
      /^Phase: {2}Completed$/m,
      /^ {2}Included: {2}shop$/m,
      /^ {2}Included: {8}configmaps, secrets, deployments, gadgets$/m,
      /^Storage Location: {2}default$/m,
      /^TTL: {15}720h0m0s$/m,
      /^Started: {4}\d{4}-\d\d-\d\dT[\d:.]+Z$/m,
      /^Duration: {3}[\d.]+m?s$/m,
      /^Expiration: {2}\S+ \(in 29d\)$/m,
      /^Items by resource:$/m,
      /^ {2}deployments\.apps: +1$/m,
      /^ {2}secrets: +1$/m,
      /^Secrets: {2}1 \(their data is never shown\)$/m,
      /^Warnings: {2}1$/m,
      /^ {4}--include-resources: .*gadgets.*$/m,
      /^Errors: {2}0$/m,
      /^ {2}backups\/shop-1\/shop-1\.tar\.gz +[\d.]+ (B|KiB) +sha256:[0-9a-f]{64}$/m,
      /^ {2}backups\/shop-1\/shop-1-logs\.gz +[\d.]+ (B|KiB) +sha256:[0-9a-f]{64}$/m,
    ]) {
      assert.match(text, pattern);
    }
    assert.ok(!text.includes(secretData), 'never the data of a Secret');
    assert.ok(!text.includes('db-password'), 'no item names without --details');
  });

  it('lists every item with --details, never the data of a Secret', async () => {
    const result = await f.run(['describe', 'shop-1', '--details']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /\nResource List:\n {2}v1\/Namespace:\n {4}- shop\n/);
    assert.match(result.stdout, /^ {2}v1\/Secret:\n {4}- shop\/db-password$/m);
    assert.match(result.stdout, /^ {2}apps\/v1\/Deployment:\n {4}- shop\/web$/m);
    assert.ok(!result.stdout.includes(secretData));
  });

  it('prints json and yaml, with the items as one valid document', async () => {
    const json = JSON.parse((await f.run(['describe', 'shop-1', '-o', 'json'])).stdout) as BackupDescription;
    assert.equal(json.name, 'shop-1');
    assert.equal(json.secrets, 1);
    assert.equal(json.warnings.count, 1);
    assert.equal(json.artifacts.length, 4);
    const detailed = JSON.parse((await f.run(['describe', 'shop-1', '-o', 'json', '--details'])).stdout) as BackupDescription & { resourceList: Record<string, string[]> };
    assert.deepEqual(detailed.resourceList['v1/Secret'], ['shop/db-password']);
    assert.deepEqual({ ...detailed, resourceList: undefined }, { ...json, resourceList: undefined });
    const yaml = YAML.parse((await f.run(['describe', 'shop-1', '-o', 'yaml', '--details'])).stdout) as { name: string; resourceList: Record<string, string[]> };
    assert.equal(yaml.name, 'shop-1');
    assert.deepEqual(yaml.resourceList['apps/v1/Deployment'], ['shop/web']);
  });

  it('describes a backup in a write-once S3 location', async () => {
    const result = await f.run(['describe', 'vaulted', '--storage-location', 'vault', '--details']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Storage Location: {2}vault$/m);
    assert.match(result.stdout, /^ {2}backups\/vaulted\/vaulted-results\.gz/m);
    assert.match(result.stdout, /^ {4}- blog\/db-password$/m);
  });

  it('describes a running backup from its Backup object', async () => {
    await f.client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name: 'running', namespace: ns }, spec: { storageLocation: 'default', includedNamespaces: ['*'] } } });
    const now = new Date().toISOString();
    await f.client.json({
      method: 'PATCH',
      path: `${ownResourcePath('backups', ns, 'running')}/status`,
      contentType: 'application/merge-patch+json',
      body: { status: { phase: 'InProgress', startTimestamp: now, lastUpdateTimestamp: now, progress: { totalItems: 5000, itemsBackedUp: 1234 } } },
    });
    const result = await f.run(['describe', 'running']);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Phase: {2}InProgress/m);
    assert.match(result.stdout, /^Items backed up: {14}1234$/m);
    const details = await f.run(['describe', 'running', '--details']);
    assert.equal(details.code, ExitCode.BadInput);
    assert.match(details.stderr, /^Error: backup "running" has no data in storage \(InProgress\): --details lists the items of a finished backup$/m);
  });

  it('shows the rest but fails (exit 2) when the results artifact does not match its record', async () => {
    await f.backup('tampered', { filters: { includeNamespaces: ['blog'] } });
    await appendFile(join(f.dir, ...backupKeys('tampered').results.split('/')), 'x');
    const result = await f.run(['describe', 'tampered']);
    assert.equal(result.code, ExitCode.BadInput);
    assert.match(result.stdout, /^Name: {9}tampered$/m);
    assert.match(result.stderr, /^Error: the warnings and errors of backup "tampered" cannot be shown: artifact "backups\/tampered\/tampered-results\.gz" failed its integrity check: it is larger than the \d+ bytes its record says$/m);
  });

  it('refuses bad input with exit code 2', async () => {
    const cases: [string[], RegExp][] = [
      [['describe', 'nope'], /^Error: backup "nope" not found in location "default"; see: kubectl backup get$/m],
      [['describe', 'shop-1', '--storage-location', 'vault'], /^Error: backup "shop-1" not found in location "vault"; see: kubectl backup get$/m],
      [['describe'], /Missing 1 required arg/],
      [['describe', '-x'], /Nonexistent flag: -x/],
      [['describe', '..'], /^Error: invalid backup name "\.\."/m],
    ];
    for (const [args, message] of cases) {
      const result = await f.run(args);
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
  });
});
