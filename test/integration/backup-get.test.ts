import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { startBackupCommandFixture, toolNamespace as ns, type BackupCommandFixture } from '../builders/backup-command-fixture.js';
import { kubectl, kubectlBackup, requireExecutable } from '../helpers/plugin.js';

/** `kubectl backup get` through kubectl and the built executable, against the API and S3 test servers and a directory. */
describe('backup get', function () {
  this.timeout(60_000);
  let f: BackupCommandFixture;

  const rows = (stdout: string) => stdout.trimEnd().split('\n').map((line) => line.split(/\s{3,}/));

  before(async () => {
    requireExecutable();
    f = await startBackupCommandFixture('get');
    await f.backup('shop-1', { labels: { team: 'data' }, filters: { includeNamespaces: ['shop'] } });
    await f.backup('blog-1', { labels: { team: 'web' }, filters: { includeNamespaces: ['blog'], labelSelector: 'app=web' }, ttlMs: 0 });
    await f.backup('vaulted', { location: 'vault', labels: { team: 'data' } });
  });
  after(() => f?.close());

  it("lists the default location's backups, newest first, with Velero's columns", async () => {
    const result = await f.run(['get']);
    assert.equal(result.code, 0, result.stderr);
    const table = rows(result.stdout);
    assert.deepEqual(table[0], ['NAME', 'STATUS', 'ERRORS', 'WARNINGS', 'CREATED', 'EXPIRES', 'STORAGE LOCATION', 'SELECTOR']);
    assert.deepEqual(
      table.slice(1).map((r) => [r[0], r[1], r[2], r[3], r[5], r[6], r[7]]),
      [
        ['blog-1', 'Completed', '0', '0', '<never>', 'default', 'app=web'],
        ['shop-1', 'Completed', '0', '0', '29d', 'default', '<none>'],
      ],
    );
    assert.match(table[1]![4]!, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
  });

  it('lists a write-once S3 location by name, and by URL without a cluster', async () => {
    const named = await f.run(['get', '--storage-location', 'vault']);
    assert.equal(named.code, 0, named.stderr);
    assert.deepEqual(rows(named.stdout).slice(1).map((r) => [r[0], r[6]]), [['vaulted', 'vault']]);
    // No kubeconfig at all: with --storage, storage alone answers.
    const home = await mkdtemp(join(f.scratch, 'home-'));
    const alone = await kubectlBackup(['get', '--storage', f.s3.urlWithPrefix('vault')], { env: { ...f.env, ...f.s3.env, KUBECONFIG: '', HOME: home } });
    assert.equal(alone.code, 0, alone.stderr);
    assert.deepEqual(rows(alone.stdout).slice(1).map((r) => r[0]), ['vaulted']);
    // Without --storage either: the embedded default location, as for the restore commands.
    const embedded = await kubectlBackup(['get'], { env: { ...f.env, KUBECONFIG: '', HOME: home, XDG_DATA_HOME: home } });
    assert.equal(embedded.code, 0, embedded.stderr);
    const local = pathToFileURL(join(home, 'kubectl-backup')).href;
    assert.equal(embedded.stderr.trim(), `No cluster: using the default storage location ${local}\nNo backups found in ${local}.`);
    // A kubeconfig the flags name must be there, even when storage alone could answer.
    const missing = await kubectlBackup(['get', '--storage', f.s3.urlWithPrefix('vault'), '--kubeconfig', join(home, 'none')], { env: { ...f.env, ...f.s3.env } });
    assert.equal(missing.code, ExitCode.BadInput);
    assert.match(missing.stderr, /--kubeconfig .*none: no such file/);
  });

  it('skips KUBECONFIG files that do not exist, as kubectl does, and fails on one it cannot read', async () => {
    const home = await mkdtemp(join(f.scratch, 'home-'));
    const local = pathToFileURL(join(home, 'kubectl-backup')).href;
    const env = { ...f.env, HOME: home, XDG_DATA_HOME: home };
    // None exists: no cluster, and the command says which location answers.
    const skipped = await kubectlBackup(['get'], { env: { ...env, KUBECONFIG: join(home, 'none') } });
    assert.equal(skipped.code, 0, skipped.stderr);
    assert.match(skipped.stderr, /kubeconfig not found: KUBECONFIG names no file that exists/);
    assert.ok(skipped.stderr.includes(`No cluster: using the default storage location ${local}`), skipped.stderr);
    // One missing file beside one that exists: the cluster of the one that exists.
    const listed = await kubectlBackup(['get'], { env: { ...env, KUBECONFIG: `${join(home, 'none')}:${f.api.kubeconfigPath}` } });
    assert.equal(listed.code, 0, listed.stderr);
    assert.deepEqual(rows(listed.stdout).slice(1).map((r) => r[0]), ['blog-1', 'shop-1']);
    // A file that is there and is no kubeconfig is an error naming KUBECONFIG, even with --storage.
    const bad = join(home, 'bad-kubeconfig');
    await writeFile(bad, 'clusters: [');
    for (const args of [['get'], ['get', '--storage', f.s3.urlWithPrefix('vault')], ['delete', 'shop-1', '--confirm']]) {
      const result = await kubectlBackup(args, { env: { ...env, ...f.s3.env, KUBECONFIG: bad } });
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^Error: KUBECONFIG=.*bad-kubeconfig: cannot read kubeconfig /m);
    }
    assert.equal((await f.run(['get', 'shop-1'])).code, 0, 'nothing was deleted');
  });

  it('shows named backups, and prints records as json or yaml', async () => {
    const two = await f.run(['get', 'shop-1', 'blog-1']);
    assert.deepEqual(rows(two.stdout).slice(1).map((r) => r[0]), ['shop-1', 'blog-1']);
    const one = JSON.parse((await f.run(['get', 'shop-1', '-o', 'json'])).stdout) as BackupRecord;
    assert.equal(one.kind, 'Backup');
    assert.equal(one.metadata.name, 'shop-1');
    assert.deepEqual(one.metadata.labels, { team: 'data' });
    assert.deepEqual(one.spec.includedNamespaces, ['shop']);
    assert.equal(one.status.phase, 'Completed');
    const yaml = await f.run(['get', '-o', 'yaml']);
    assert.match(yaml.stdout, /^apiVersion: v1\nkind: List\nitems:\n {2}- apiVersion: kubectl-backup\.io\/v1\n {4}kind: Backup\n {4}metadata:\n {6}name: blog-1\n/);
    assert.match(yaml.stdout, /\nmetadata:\n {2}resourceVersion: ""\n$/);
    // Several names: a List too, as kubectl get cm a b -o json prints.
    const several = JSON.parse((await f.run(['get', 'shop-1', 'blog-1', '-o', 'json'])).stdout) as { apiVersion: string; kind: string; items: BackupRecord[]; metadata: object };
    assert.deepEqual([several.apiVersion, several.kind, several.metadata], ['v1', 'List', { resourceVersion: '' }]);
    assert.deepEqual(several.items.map((b) => b.metadata.name), ['shop-1', 'blog-1']);
  });

  it('selects by the backups\' labels with -l', async () => {
    const data = await f.run(['get', '-l', 'team=data']);
    assert.deepEqual(rows(data.stdout).slice(1).map((r) => r[0]), ['shop-1']);
    const none = await f.run(['get', '-l', 'team in (ops)']);
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /No backups found in location "default" matching -l team in \(ops\)\./);
    const json = await f.run(['get', '-l', 'team!=data', '-o', 'json']);
    assert.deepEqual((JSON.parse(json.stdout) as { items: BackupRecord[] }).items.map((b) => b.metadata.name), ['blog-1']);
  });

  it('adds running backups from their Backup objects, and shows a dead run as Failed', async () => {
    const create = async (name: string, lastUpdate: Date) => {
      await f.client.json({ method: 'POST', path: ownResourcePath('backups', ns), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name, namespace: ns }, spec: { storageLocation: 'default', ttl: '720h0m0s' } } });
      await f.client.json({
        method: 'PATCH',
        path: `${ownResourcePath('backups', ns, name)}/status`,
        contentType: 'application/merge-patch+json',
        body: { status: { phase: 'InProgress', startTimestamp: lastUpdate.toISOString(), lastUpdateTimestamp: lastUpdate.toISOString(), progress: { totalItems: 900, itemsBackedUp: 300 } } },
      });
    };
    await create('running', new Date());
    await create('killed', new Date(Date.now() - 3_600_000));
    const result = await f.run(['get']);
    const table = rows(result.stdout);
    assert.deepEqual(table.slice(1).map((r) => [r[0], r[1]]), [
      ['running', 'InProgress'],
      ['blog-1', 'Completed'],
      ['shop-1', 'Completed'],
      ['killed', 'Failed'],
    ]);
    const killed = JSON.parse((await f.run(['get', 'killed', '-o', 'json'])).stdout) as { status: { phase: string; failureReason: string } };
    assert.equal(killed.status.phase, 'Failed');
    assert.match(killed.status.failureReason, /stopped reporting at .* \(killed\?\)/);
    await f.client.json({ method: 'DELETE', path: ownResourcePath('backups', ns, 'running') });
    await f.client.json({ method: 'DELETE', path: ownResourcePath('backups', ns, 'killed') });
  });

  it('still lists a backup whose Backup object plain kubectl deleted: storage is the source of truth', async () => {
    const before = await kubectl(['get', 'backups', '-n', ns, '-o', 'name'], { kubeconfig: f.api.kubeconfigPath, env: f.env });
    assert.match(before.stdout, /^backup\.kubectl-backup\.io\/shop-1$/m);
    const deleted = await kubectl(['delete', 'backup', 'shop-1', '-n', ns], { kubeconfig: f.api.kubeconfigPath, env: f.env });
    assert.equal(deleted.code, 0, deleted.stderr);
    const after = await kubectl(['get', 'backups', '-n', ns, '-o', 'name'], { kubeconfig: f.api.kubeconfigPath, env: f.env });
    assert.doesNotMatch(after.stdout, /shop-1/);
    const result = await f.run(['get', 'shop-1']);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(rows(result.stdout)[1]!.slice(0, 2), ['shop-1', 'Completed']);
  });

  it('says when a location holds no backups', async () => {
    const empty = await mkdtemp(join(f.scratch, 'empty-'));
    const result = await f.run(['get', '--storage', pathToFileURL(empty).href]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, new RegExp(`No backups found in ${pathToFileURL(empty).href}\\.`));
    assert.deepEqual(JSON.parse((await f.run(['get', '--storage', pathToFileURL(empty).href, '-o', 'json'])).stdout) as unknown, { apiVersion: 'v1', kind: 'List', items: [], metadata: { resourceVersion: '' } });
  });

  it("says that Velero's backups in the location are not listed, and why, on stderr only", async () => {
    const shared = await mkdtemp(join(f.scratch, 'velero-'));
    for (const name of ['velero-a', 'velero-b']) {
      await mkdir(join(shared, 'backups', name), { recursive: true });
      await writeFile(join(shared, 'backups', name, 'velero-backup.json'), '{"kind":"Backup"}');
    }
    const url = pathToFileURL(shared).href;
    const result = await f.run(['get', '--storage', url]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stderr, /^Not listed: 2 Velero backups \(velero-a, velero-b\); kubectl-backup reads only backups with its own record\.$/m);
    const json = await f.run(['get', '--storage', url, '-o', 'json']);
    assert.deepEqual((JSON.parse(json.stdout) as { items: unknown[] }).items, []);
    const described = await f.run(['describe', 'velero-a', '--storage', url]);
    assert.equal(described.code, ExitCode.BadInput);
    assert.match(described.stderr, /backup "velero-a" not found in .* \(a Velero backup of that name is there; /);
  });

  it('refuses bad input with exit code 2, naming the problem', async () => {
    const cases: [string[], RegExp][] = [
      [['get', 'nope'], /^Error: backup "nope" not found in location "default"; see: kubectl backup get$/m],
      [['get', 'shop-1', 'nope', '--storage-location', 'vault'], /^Error: backup "shop-1" not found in location "vault"; see: kubectl backup get$/m],
      [['get', 'Bad_Name'], /^Error: invalid backup name "Bad_Name": it must consist of lowercase letters/m],
      [['get', 'shop-1', '-l', 'team=data'], /^Error: give backup names or -l SELECTOR, not both$/m],
      [['get', '-l', 'team=(x'], /^Error: invalid --selector "team=\(x"/m],
      [['get', '-o', 'wide'], /Expected --output=wide to be one of: table, json, yaml/],
      [['get', '--storage-location', 'nowhere'], /^Error: storage location "nowhere" not found in namespace kubectl-backup; see: kubectl backup location get$/m],
      [['get', '--storage', 'ftp://x'], /^Error: invalid storage URL "ftp:\/\/x"/m],
      [['get', '--storage', 'file:///tmp', '--storage-location', 'vault'], /^Error: give --storage URL or --storage-location NAME, not both$/m],
    ];
    for (const [args, message] of cases) {
      const result = await f.run(args);
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
      assert.equal(result.stdout, '', args.join(' '));
    }
  });
});
