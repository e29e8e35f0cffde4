import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { ExitCode } from '../../src/errors.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { HttpKubeClient } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import { createSampleWorkload } from '../builders/restore-sample-workload.js';
import { storeRestore } from '../builders/stored-backup.js';
import { startE2e, type E2e } from '../helpers/plugin.js';

/** `kubectl backup restore ...` through kubectl's plugin dispatch, against the API test e2e.api. */
describe('e2e: kubectl backup restore', () => {
  let e2e: E2e;
  let client: HttpKubeClient;
  let storageDir: string;
  const run = (...args: string[]) => e2e.backup(...args);
  const writes = () => e2e.api.requestLog.list().filter((e) => e.method !== 'GET');

  function get(pathname: string): Promise<KubeObject | undefined> {
    return getIfExists<KubeObject>(client, pathname);
  }

  async function deleteNamespace(ns: string): Promise<void> {
    await client.json({ method: 'DELETE', path: `/api/v1/namespaces/${ns}` });
    for (let i = 0; i < 500 && (await get(`/api/v1/namespaces/${ns}`)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  before(async () => {
    e2e = await startE2e();
    client = new HttpKubeClient({ server: e2e.api.url, headers: async () => ({ Authorization: `Bearer ${e2e.api.token}` }), tls: {} });
    storageDir = e2e.defaultLocation;
    await createSampleWorkload(client, 'shop');
    const backup = await run('create', 'shop-1', '--include-namespaces', 'shop');
    assert.equal(backup.code, 0, backup.stderr);
  });

  after(() => e2e?.close());

  beforeEach(() => e2e.api.requestLog.clear());

  it('restores a deleted namespace from the default location, and says what it did', async () => {
    await deleteNamespace('shop');
    const result = await run('restore', 'create', 'shop-back', '--from-backup', 'shop-1', '--include-owned-resources');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Restore "shop-back" from backup "shop-1": Completed in [\d.]+s: \d+ created, 0 updated, \d+ skipped, 0 failed; 0 warnings, 0 errors\.$/m);
    assert.match(result.stderr, /Using the default storage location file:\/\//);
    for (const p of ['/apis/apps/v1/namespaces/shop/deployments/shop', '/api/v1/namespaces/shop/secrets/shop-db', '/apis/shop.example.com/v1/namespaces/shop/widgets/large', '/api/v1/namespaces/shop/pods/shop-5d4f8-x7k2p']) {
      assert.ok(await get(p), `${p} is not back`);
    }
    assert.ok(!result.stdout.includes(Buffer.from('s3cret-password').toString('base64')));
    assert.ok(!result.stderr.includes(Buffer.from('s3cret-password').toString('base64')));
  });

  it('lists, describes and prints the log of restores', async () => {
    const get = await run('restore', 'get');
    assert.equal(get.code, 0, get.stderr);
    assert.match(get.stdout, /^NAME\s+BACKUP\s+STATUS/);
    assert.match(get.stdout, /shop-back\s+shop-1\s+Completed/);
    const json = JSON.parse((await run('restore', 'get', 'shop-back', '-o', 'json')).stdout);
    assert.equal(json.status.phase, 'Completed');
    const describe = await run('restore', 'describe', 'shop-back');
    assert.equal(describe.code, 0, describe.stderr);
    assert.match(describe.stdout, /Phase:\s+Completed/);
    assert.match(describe.stdout, /deployments\.apps\s+1\s+0\s+0\s+0/);
    const logs = await run('restore', 'logs', 'shop-back');
    assert.equal(logs.code, 0, logs.stderr);
    const lines = logs.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string });
    assert.ok(lines.some((l) => l.msg === 'restore finished'));
  });

  it('prints the plan of a dry run and changes nothing', async () => {
    // --client-page-size is taken as by create (cli.md: the same filter names), with no effect.
    const result = await run('restore', 'create', '--from-backup', 'shop-1', '--dry-run', '--client-page-size', '100');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(writes(), []);
    assert.match(result.stdout, /^skip \(exists\)\s+configmaps\s+shop\/shop-config$/m);
    assert.match(result.stdout, /^skip \(owned\)\s+pods\s+shop\/shop-5d4f8-x7k2p\s+\(its controller ReplicaSet shop-5d4f8 is restored and recreates it\)$/m);
    assert.match(result.stdout, /^skip \(never restored\)\s+configmaps\s+shop\/kube-root-ca\.crt/m);
    assert.match(result.stdout, /Dry run of restore "shop-1-\d{14}" from backup "shop-1": 0 to create, 0 to update, \d+ to skip; nothing was changed\./);
  });

  it('restores into a mapped namespace', async () => {
    const result = await run('restore', 'create', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-copy');
    assert.equal(result.code, 0, result.stderr);
    assert.equal((await get('/api/v1/namespaces/shop-copy'))?.metadata.labels?.team, 'shop');
    assert.ok(await get('/apis/apps/v1/namespaces/shop-copy/deployments/shop'));
  });

  it('exits 3 when some items fail, and the record lists them', async () => {
    e2e.api.faults.add({ method: 'POST', path: '^/api/v1/namespaces/shop-partial/configmaps$', status: 422, message: 'refused by a test', times: 0 });
    const result = await run('restore', 'create', 'partial', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-partial');
    e2e.api.faults.clear();
    assert.equal(result.code, ExitCode.Partial, result.stderr);
    assert.match(result.stdout, /PartiallyFailed/);
    const describe = await run('restore', 'describe', 'partial');
    // Items of a type are created concurrently: their errors come in the order the answers came.
    const group = /shop-partial:\n((?: +configmaps shop-partial\/.*\n)+)/.exec(describe.stdout)?.[1] ?? '';
    for (const name of ['feature-flags', 'shop-config']) assert.match(group, new RegExp(`configmaps shop-partial/${name}: could not create: 422`), describe.stdout);
    assert.ok(!describe.stdout.includes('Resource List:'), 'without --details, no items');
  });

  it('exits 1 and says why when the restore cannot go on, and the record says Failed', async () => {
    e2e.api.faults.add({ method: 'POST', path: '^/api/v1/namespaces/shop-down/configmaps$', reset: true, times: 0 });
    const result = await run('restore', 'create', 'down', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-down');
    e2e.api.faults.clear();
    assert.equal(result.code, ExitCode.Failed, result.stderr);
    assert.match(result.stderr, /Error: restore "down" failed: cannot reach the API server .*POST \/api\/v1\/namespaces\/shop-down\/configmaps/);
    const get = await run('restore', 'get', 'down', '-o', 'json');
    assert.equal((JSON.parse(get.stdout) as { status: { phase: string } }).status.phase, 'Failed');
  });

  it('never shows Secret data: not in the plan, the summary, the record, logs, details or a refused create', async () => {
    const shown = ['s3cret-password', Buffer.from('s3cret-password').toString('base64')];
    e2e.api.faults.add({ method: 'POST', path: '^/api/v1/namespaces/shop-secrets/secrets$', status: 422, message: 'refused by a test', times: 0 });
    const outputs = [
      await run('restore', 'create', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-plan', '--dry-run'),
      await run('restore', 'create', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-plan', '--dry-run', '-o', 'json'),
      await run('restore', 'create', 'secrets', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-secrets', '-o', 'json', '-v'),
    ];
    e2e.api.faults.clear();
    assert.equal(outputs[2]!.code, ExitCode.Partial, outputs[2]!.stderr);
    assert.match(outputs[2]!.stdout, /"phase": "PartiallyFailed"/);
    outputs.push(
      await run('restore', 'logs', 'secrets'),
      await run('restore', 'describe', 'secrets', '--details'),
      await run('restore', 'describe', 'secrets', '-o', 'yaml'),
      await run('describe', 'shop-1', '--details'),
    );
    assert.match(outputs[4]!.stdout, /secrets shop-secrets\/shop-db: could not create: 422/, 'the refused create is described');
    for (const output of outputs) {
      for (const text of shown) {
        assert.ok(!output.stdout.includes(text) && !output.stderr.includes(text), `Secret data in the output of a command:\n${output.stdout}\n${output.stderr}`);
      }
    }
  });

  it('describe --details lists every item with what became of it, read from the checked resource list', async () => {
    const text = await run('restore', 'describe', 'partial', '--details');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /Phase:\s+PartiallyFailed/);
    assert.match(text.stdout, /\nResource List:\n/);
    assert.match(text.stdout, /\n {2}apps\/v1\/Deployment:\n {4}- shop-partial\/shop\(created\)\n/);
    assert.match(text.stdout, /\n {2}v1\/ConfigMap:\n( {4}- .*\n)* {4}- shop-partial\/feature-flags\(failed\)\n/);
    assert.match(text.stdout, /\n {4}- shop-partial\/shop-5d4f8-x7k2p\(skipped\)\n/);
    assert.match(text.stdout, /\n {2}v1\/Namespace:\n {4}- shop-partial\(created\)\n/);

    const json = await run('restore', 'describe', 'partial', '--details', '-o', 'json');
    assert.equal(json.code, 0, json.stderr);
    const data = JSON.parse(json.stdout) as { status: { phase: string; counts: Record<string, number> }; resourceList: Record<string, string[]> };
    assert.equal(data.status.phase, 'PartiallyFailed');
    assert.deepEqual(data.resourceList['apps/v1/ReplicaSet'], ['shop-partial/shop-5d4f8(skipped)']);
    assert.deepEqual(data.resourceList['shop.example.com/v1/Widget'], ['shop-partial/large(created)', 'shop-partial/small(created)']);
    const outcomes = Object.values(data.resourceList).flat().map((entry) => /\((created|updated|skipped|failed)\)$/.exec(entry)![1]!);
    for (const outcome of ['created', 'updated', 'skipped', 'failed']) {
      assert.equal(outcomes.filter((o) => o === outcome).length, data.status.counts[outcome], `${outcome}: the list and the counts agree`);
    }

    // A list that is not what the record says ends the command with an error, as backup describe --details does.
    const file = path.join(storageDir, restoreKeys('partial').resourceList);
    await fs.chmod(file, 0o600);
    await fs.writeFile(file, zlib.gzipSync(JSON.stringify({ 'v1/ConfigMap': ['shop-partial/feature-flags(created)'] })));
    const tampered = await run('restore', 'describe', 'partial', '--details');
    assert.equal(tampered.code, ExitCode.BadInput, tampered.stderr);
    assert.match(tampered.stderr, /artifact "restores\/partial\/restore-partial-resource-list\.json\.gz" failed its integrity check/);
  });

  it('describe --details of a restore recorded without a resource list says it is not available', async () => {
    await storeRestore(new FileObjectStore(storageDir), 'before-lists', 'shop-1');
    const result = await run('restore', 'describe', 'before-lists', '--details');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Name:\s+before-lists\n/);
    assert.match(result.stdout, /\nResource List: {2}<not available: this restore was recorded without a resource list>\n$/);
  });

  for (const [what, args, message] of [
    ['no backup named', ['restore', 'create', 'x'], /restore create needs one of --from-backup BACKUP or --from-schedule SCHEDULE/],
    ['both --from-backup and --from-schedule', ['restore', 'create', '--from-backup', 'shop-1', '--from-schedule', 'daily'], /restore create takes --from-backup or --from-schedule, not both/],
    ['an unknown backup', ['restore', 'create', '--from-backup', 'nope'], /backup "nope" not found in file:\/\/.*; see: kubectl backup get/],
    ['a bad mapping', ['restore', 'create', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:Shop'], /--namespace-mappings: "Shop" in "shop:Shop" is not a namespace name/],
    ['a bad policy', ['restore', 'create', '--from-backup', 'shop-1', '--existing-resource-policy', 'replace'], /Expected --existing-resource-policy=replace to be one of: none, update/],
    ['a bad selector', ['restore', 'create', '--from-backup', 'shop-1', '-l', 'a in (b'], /invalid --selector "a in \(b"/],
    ['an existing restore name', ['restore', 'create', 'shop-back', '--from-backup', 'shop-1'], /restore "shop-back" already exists; choose another name, or leave NAME out/],
    ['--exclude-resources "*"', ['restore', 'create', '--from-backup', 'shop-1', '--exclude-resources', '*'], /--exclude-resources: "\*" would leave nothing to back up or restore/],
    ['--allow-partially-failed without --from-schedule', ['restore', 'create', '--from-backup', 'shop-1', '--allow-partially-failed'], /--allow-partially-failed only applies to --from-schedule/],
    ['both --storage and --storage-location', ['restore', 'create', '--from-backup', 'shop-1', '--storage', 'file:///tmp/x', '--storage-location', 'vault'], /give --storage URL or --storage-location NAME, not both/],
    ['an unknown schedule', ['restore', 'create', '--from-schedule', 'daily'], /no Completed backup of schedule "daily"/],
    ['a negative --client-page-size', ['restore', 'create', '--from-backup', 'shop-1', '--client-page-size', '-1'], /client-page-size/],
  ] as [string, string[], RegExp][]) {
    it(`exits 2 before any change on ${what}`, async () => {
      const result = await run(...args);
      assert.equal(result.code, ExitCode.BadInput, result.stderr);
      assert.match(result.stderr, message);
      assert.deepEqual(writes(), []);
    });
  }

  it('exits 2 and creates nothing when the archive does not match its record', async () => {
    const backup = await run('create', 'tampered', '--include-namespaces', 'shop');
    assert.equal(backup.code, 0, backup.stderr);
    const archive = path.join(storageDir, backupKeys('tampered').archive);
    const bytes = await fs.readFile(archive);
    bytes[100] = bytes[100]! ^ 1;
    await fs.chmod(archive, 0o600);
    await fs.writeFile(archive, bytes);
    await deleteNamespace('shop');
    e2e.api.requestLog.clear();
    const result = await run('restore', 'create', '--from-backup', 'tampered');
    assert.equal(result.code, ExitCode.BadInput, result.stderr);
    assert.match(result.stderr, /artifact "backups\/tampered\/tampered\.tar\.gz" failed its integrity check/);
    assert.equal(writes().filter((e) => e.method === 'POST').length, 0);
    assert.equal(await get('/api/v1/namespaces/shop'), undefined);
  });

  it('restore logs and describe refuse artifacts that do not match the record, naming them', async () => {
    const created = await run('restore', 'create', 'tampered-log', '--from-backup', 'shop-1', '--namespace-mappings', 'shop:shop-tampered-log');
    assert.equal(created.code, 0, created.stderr);
    for (const key of [restoreKeys('tampered-log').logs, restoreKeys('tampered-log').results]) {
      const file = path.join(storageDir, key);
      await fs.chmod(file, 0o600);
      await fs.appendFile(file, 'x');
    }
    const logs = await run('restore', 'logs', 'tampered-log');
    assert.equal(logs.code, ExitCode.BadInput, logs.stderr);
    assert.match(logs.stderr, /artifact "restores\/tampered-log\/restore-tampered-log-logs\.gz" failed its integrity check/);
    const describe = await run('restore', 'describe', 'tampered-log');
    assert.equal(describe.code, ExitCode.BadInput, describe.stderr);
    assert.match(describe.stderr, /artifact "restores\/tampered-log\/restore-tampered-log-results\.gz" failed its integrity check/);
  });

  it('deletes restore records, and needs --confirm off a terminal', async () => {
    const dir = path.join(storageDir, restoreKeys('shop-back').dir);
    assert.ok((await fs.readdir(dir)).includes(path.basename(restoreKeys('shop-back').resourceList)));
    const refused = await run('restore', 'delete', 'shop-back');
    assert.equal(refused.code, ExitCode.BadInput);
    const result = await run('restore', 'delete', 'shop-back', '--confirm');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /restore "shop-back" deleted/);
    await assert.rejects(fs.readdir(dir), { code: 'ENOENT' }, 'nothing of the restore is left, its resource list included');
    const get = await run('restore', 'get', 'shop-back');
    assert.equal(get.code, ExitCode.BadInput);
    assert.match(get.stderr, /restore "shop-back" not found/);
  });

  it('deletes every restore record with --all --confirm', async () => {
    const before = await run('restore', 'get', '-o', 'json');
    const list = JSON.parse(before.stdout) as { kind: string; items: unknown[] };
    assert.equal(list.kind, 'List');
    assert.ok(list.items.length > 0, before.stderr);
    const result = await run('restore', 'delete', '--all', '--confirm');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^restore "partial" deleted$/m);
    const after = await run('restore', 'get');
    assert.equal(after.code, 0, after.stderr);
    assert.match(after.stderr, /No restores found in /);
    assert.deepEqual(JSON.parse((await run('restore', 'get', '-o', 'json')).stdout), { apiVersion: 'v1', kind: 'List', items: [], metadata: { resourceVersion: '' } });
    assert.deepEqual(await fs.readdir(path.join(storageDir, 'restores')).catch(() => []), []);
  });
});
