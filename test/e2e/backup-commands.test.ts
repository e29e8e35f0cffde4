import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { ok, startE2e, type E2e } from '../helpers/plugin.js';
import type { S3TestServer } from '../s3/s3-test-server.js';

/**
 * `kubectl backup create / get / describe / delete` as a user runs them: the real kubectl
 * dispatching to the built executable, against the API test server, with the CRDs installed
 * by `kubectl backup install`.
 */
describe('e2e: kubectl backup create, get, describe, delete', function () {
  this.timeout(120_000);
  let e2e: E2e & { s3: S3TestServer };
  const ns = 'kubectl-backup';
  const backup = (...args: string[]) => e2e.backup(...args);
  const kube = (...args: string[]) => e2e.kubectl.ok(args);
  const names = (stdout: string) => stdout.trimEnd().split('\n').slice(1).map((line) => line.split(/\s+/)[0]);

  before(async () => {
    e2e = await startE2e({ s3: { writeOnce: true } });
    await kube('create', 'namespace', 'shop');
    for (let i = 0; i < 20; i++) await kube('-n', 'shop', 'create', 'configmap', `settings-${i}`, `--from-literal=color=${i}`);
    await kube('-n', 'shop', 'create', 'secret', 'generic', 'db', '--from-literal=password=s3cret-password');
    await kube('-n', 'shop', 'create', 'deployment', 'web', '--image=nginx');
  });
  after(() => e2e?.close());

  it('backs up to the embedded default location without the CRDs, and lists it', async () => {
    const created = await ok(backup('create', 'plain', '--include-namespaces', 'shop'));
    assert.match(created.stdout, /^Backup "plain" Completed: \d+ items in [\d.]+s\.$/m);
    const get = await ok(backup('get'));
    assert.deepEqual(names(get.stdout), ['plain']);
    assert.match(get.stdout, new RegExp(`plain +Completed +0 +0 .* 29d +${pathToFileURL(e2e.defaultLocation).href}`));
  });

  it('keeps the Backup object of a backup with the CRDs installed; describe shows the backup', async () => {
    await ok(backup('install'));
    const created = await ok(backup('create', 'shop-1', '--include-namespaces', 'shop', '--labels', 'team=data'));
    assert.match(created.stdout, /^Backup "shop-1" Completed/m);
    const objects = await kube('get', 'backups', '-n', ns);
    assert.match(objects, /^NAME +PHASE +ITEMS +EXPIRES +AGE$/m);
    assert.match(objects, /^shop-1 +Completed +\d+ +\d{4}-\d\d-\d\dT/m);
    const object = await e2e.kubectl.json<{ metadata: { labels: Record<string, string> }; spec: { includedNamespaces: string[] }; status: { phase: string; progress: { totalItems: number; itemsBackedUp: number } } }>(['get', 'backup', 'shop-1', '-n', ns]);
    assert.deepEqual(object.metadata.labels, { team: 'data' });
    assert.deepEqual(object.spec.includedNamespaces, ['shop']);
    assert.equal(object.status.phase, 'Completed');
    assert.ok(object.status.progress.itemsBackedUp >= 23);

    assert.deepEqual(names((await ok(backup('get'))).stdout), ['shop-1', 'plain']);
    assert.deepEqual(names((await ok(backup('get', '-l', 'team=data'))).stdout), ['shop-1']);
    const describe = await ok(backup('describe', 'shop-1', '--details'));
    assert.match(describe.stdout, /^Phase: {2}Completed$/m);
    assert.match(describe.stdout, /^Secrets: {2}1 \(their data is never shown\)$/m);
    assert.match(describe.stdout, /^ {2}v1\/Secret:\n {4}- shop\/db$/m);
    assert.ok(!describe.stdout.includes(Buffer.from('s3cret-password').toString('base64')));
    await ok(backup('verify', 'shop-1'));
  });

  it('plain kubectl delete removes only the Backup object; kubectl backup delete removes the backup', async () => {
    await kube('delete', 'backup', 'shop-1', '-n', ns);
    assert.doesNotMatch(await kube('get', 'backups', '-n', ns), /shop-1/);
    assert.deepEqual(names((await ok(backup('get'))).stdout), ['shop-1', 'plain'], 'the data stays in storage');
    await ok(backup('describe', 'shop-1'));

    const refused = await backup('delete', 'shop-1');
    assert.equal(refused.code, ExitCode.BadInput);
    const deleted = await ok(backup('delete', 'shop-1', '--confirm'));
    assert.match(deleted.stdout, /^backup "shop-1" deleted \(5 objects removed from storage\)$/m);
    assert.deepEqual(names((await ok(backup('get'))).stdout), ['plain']);
    const gone = await backup('describe', 'shop-1');
    assert.equal(gone.code, ExitCode.BadInput);
    assert.match(gone.stderr, /^Error: backup "shop-1" not found in file:\/\/.*; see: kubectl backup get$/m);
  });

  it('does the same against a write-once S3 bucket given by URL', async () => {
    const url = e2e.s3.urlWithPrefix('e2e');
    const run = (...args: string[]) => e2e.run(args, { env: e2e.s3.env });
    await ok(run('create', 's3-1', '--include-namespaces', 'shop', '--storage', url));
    assert.equal((await e2e.kubectl.json<{ status: { phase: string } }>(['get', 'backup', 's3-1', '-n', ns])).status.phase, 'Completed');
    assert.deepEqual(names((await ok(run('get', '--storage', url))).stdout), ['s3-1']);
    assert.match((await ok(run('describe', 's3-1', '--storage', url))).stdout, /^Storage Location: {2}s3:\/\/test-bucket\/e2e\?/m);
    await ok(run('delete', 's3-1', '--storage', url, '--confirm'));
    assert.equal((await ok(run('get', '--storage', url))).stdout, '');
    assert.doesNotMatch(await kube('get', 'backups', '-n', ns), /s3-1/);
    const keys = e2e.s3.requestLog.filter((r) => r.operation === 'PutObject' && r.status === 200).map((r) => r.key);
    assert.equal(new Set(keys).size, keys.length, 'no key written twice');
  });
});
