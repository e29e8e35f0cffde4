import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import { closedPort } from '../helpers/closed-port.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { configMap, namespace, secret } from '../builders/backup-objects.js';
import { startE2e, type E2e } from '../helpers/plugin.js';

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/** `kubectl backup create` as users type it: real kubectl, the built executable, every exit code. */
describe('e2e: kubectl backup create flags and exit codes', function () {
  this.timeout(120_000);
  let e2e: E2e;
  let storage: string;
  let url: string;
  const create = (...args: string[]) => e2e.backup('create', ...args);

  before(async () => {
    e2e = await startE2e();
    ({ dir: storage, url } = e2e.directory('storage'));
    const objects = [namespace('web'), namespace('db')];
    for (let i = 0; i < 5; i++) objects.push(configMap('web', `page-${i}`, { app: 'web' }), configMap('db', `conf-${i}`, { app: 'db' }));
    objects.push(secret('db', 'password'));
    await e2e.api.seed(objects);
  });
  after(() => e2e?.close());

  it('backs up with repeated and comma-separated filters, ordered items first, and prints a summary on stdout only', async () => {
    const result = await create('first', '--storage', url, '--include-namespaces', 'web', '--include-namespaces', 'db', '--include-resources', 'cm,secrets', '--ordered-resources', 'configmaps=web/page-3,db/conf-1', '--labels', 'team=ops,tier=gold', '--ttl', '1h30m');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Backup "first" Completed: 15 items in [\d.]+s\.$/m);
    assert.match(result.stdout, new RegExp(`Location: ${url}`));
    assert.match(result.stdout, /ttl 1h30m0s/);
    const record = JSON.parse(await fs.readFile(path.join(storage, 'backups', 'first', 'kubectl-backup.json'), 'utf8')) as { metadata: { labels: Record<string, string> }; spec: { ttl: string; includedNamespaces: string[] } };
    assert.deepEqual(record.metadata.labels, { team: 'ops', tier: 'gold' });
    assert.deepEqual(record.spec.includedNamespaces, ['web', 'db']);
    assert.equal(record.spec.ttl, '1h30m0s');
  });

  it('-o json prints the record, and --dry-run writes nothing', async () => {
    const json = await create('second', '--storage', url, '--include-namespaces', 'web', '-o', 'json');
    assert.equal(json.code, 0, json.stderr);
    const record = JSON.parse(json.stdout) as { kind: string; status: { phase: string; itemsByResource: Record<string, number> } };
    assert.equal(record.kind, 'Backup');
    assert.equal(record.status.phase, 'Completed');
    assert.equal(record.status.itemsByResource.configmaps, 6);
    const before = await listFiles(storage);
    const dry = await create('third', '--storage', url, '--include-namespaces', 'db', '--dry-run');
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /Dry run of backup "third": \d+ items would be backed up/);
    assert.match(dry.stdout, /secrets\s+1/);
    assert.deepEqual(await listFiles(storage), before);
  });

  it('takes --include-cluster-resources alone as true, as Velero does', async () => {
    const typesOf = async (...flags: string[]) => {
      const run = await create('cluster-scoped', '--storage', url, '--include-namespaces', 'db', '--dry-run', '-o', 'json', ...flags);
      assert.equal(run.code, 0, run.stderr);
      return Object.keys((JSON.parse(run.stdout) as { itemsByResource: Record<string, number> }).itemsByResource).sort();
    };
    const bare = await typesOf('--include-cluster-resources');
    assert.deepEqual(await typesOf('--include-cluster-resources=true'), bare);
    const none = await typesOf('--include-cluster-resources=false');
    assert.ok(bare.length > none.length && bare.includes('clusterroles.rbac.authorization.k8s.io'), `${bare.join(',')} vs ${none.join(',')}`);
  });

  it('writes to the embedded default location when none is given, and says where', async () => {
    const result = await create('default-place', '--include-namespaces', 'web');
    assert.equal(result.code, 0, result.stderr);
    const where = pathToFileURL(e2e.defaultLocation).href;
    assert.ok(result.stderr.includes(where) || result.stdout.includes(where), 'the default location is named');
    assert.ok((await listFiles(e2e.defaultLocation)).some((f) => f.endsWith('default-place/kubectl-backup.json')));
  });

  for (const [what, args, message] of [
    ['malformed --ordered-resources', ['bad1', '--ordered-resources', 'pods= ns1/p1; ns1/p2'], /invalid --ordered-resources .*"ns1\/p2"/],
    ['--ordered-resources a=b=c', ['bad2', '--ordered-resources', 'a=b=c'], /entry "a=b=c" must have exactly one "="/],
    ['an empty --ordered-resources', ['bad3', '--ordered-resources', ''], /--ordered-resources/],
    ['a name that is not DNS-1123', ['Bad_Name'], /invalid backup name "Bad_Name"/],
    ['-l with --or-selector', ['bad4', '-l', 'a=b', '--or-selector', 'c=d or e=f'], /cannot be used together/],
    ['a bad --ttl', ['bad5', '--ttl', '3 days'], /--ttl: invalid duration "3 days"/],
    ["a --ttl beyond Go's durations", ['bad5b', '--ttl', '99999999999h'], /--ttl: invalid duration "99999999999h": out of range/],
    ['a bad --include-cluster-resources', ['bad6', '--include-cluster-resources=maybe'], /expected true or false/],
    ['a word after a bare --include-cluster-resources (which means true)', ['bad6', '--include-cluster-resources', 'maybe'], /Unexpected argument: maybe/],
    ['a bad namespace glob', ['bad7', '--include-namespaces', 'web/*'], /invalid namespace pattern "web\/\*"/],
    ['a bad --labels', ['bad8', '--labels', 'team'], /--labels: "team" is not key=value/],
    ['a malformed storage URL', ['bad9', '--storage', 'ftp://x'], /invalid storage URL/],
    ['a negative page size', ['bad10', '--client-page-size', '-1'], /client-page-size/],
    ['a malformed selector', ['bad11', '-l', 'app in (web'], /invalid --selector "app in \(web"/],
    ['an unknown flag', ['bad12', '--include-namespace', 'web'], /include-namespace/],
    ['a malformed --namespace', ['bad13', '-n', 'Bad_NS'], /^Error: invalid --namespace "Bad_NS": it must consist of lower case alphanumeric characters/m],
  ] as const) {
    it(`refuses ${what} with exit 2, writing nothing`, async () => {
      const before = await listFiles(storage);
      const result = await create(...args, ...((args as readonly string[]).includes('--storage') ? [] : ['--storage', url]));
      assert.equal(result.code, ExitCode.BadInput, `${result.stdout}\n${result.stderr}`);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').filter((l) => l.startsWith('Error:')).length, 1, 'one error line');
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(await listFiles(storage), before);
    });
  }

  it('refuses a malformed KUBECTL_BACKUP_NAMESPACE, and -n on the other commands, with exit 2', async () => {
    const before = await listFiles(storage);
    const fromEnv = await e2e.run(['create', 'bad14', '--storage', url], { env: { KUBECTL_BACKUP_NAMESPACE: 'Bad_NS' } });
    assert.equal(fromEnv.code, ExitCode.BadInput, fromEnv.stderr);
    assert.match(fromEnv.stderr, /^Error: invalid KUBECTL_BACKUP_NAMESPACE "Bad_NS": /m);
    assert.deepEqual(await listFiles(storage), before);
    for (const args of [['sync'], ['gc', '--dry-run'], ['get'], ['restore', 'get'], ['schedule', 'get'], ['location', 'get']]) {
      const result = await e2e.backup(...args, '-n', 'Bad_NS');
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^Error: invalid --namespace "Bad_NS": /m, args.join(' '));
    }
  });

  it('refuses a name that already has a record (exit 2)', async () => {
    const result = await create('first', '--storage', url);
    assert.equal(result.code, ExitCode.BadInput);
    assert.match(result.stderr, /backup "first" already exists/);
  });

  it('fails with exit 1 when the cluster is unreachable, writing nothing', async () => {
    const port = await closedPort();
    const kubeconfig = path.join(e2e.home, 'kubeconfig-down');
    await fs.writeFile(kubeconfig, e2e.api.kubeconfigYaml.replace(/server: .*/, `server: http://127.0.0.1:${port}`));
    const result = await e2e.run(['create', 'down', '--storage', url], { kubeconfig });
    assert.equal(result.code, ExitCode.Failed, result.stderr);
    assert.match(result.stderr, /cannot reach the API server/);
    assert.ok(!(await listFiles(storage)).some((f) => f.includes('/down/')));
  });

  it('ends PartiallyFailed with exit 3 when a LIST keeps failing, with the error in the record', async () => {
    e2e.api.faults.add({ method: 'GET', path: '^/api/v1/secrets$', status: 403, message: 'secrets are forbidden', times: Infinity });
    try {
      const result = await create('partial', '--storage', url, '--include-resources', 'configmaps,secrets');
      assert.equal(result.code, ExitCode.Partial, result.stderr);
      assert.match(result.stdout, /Backup "partial" PartiallyFailed/);
      assert.match(result.stdout, /errors: 1/);
      const record = JSON.parse(await fs.readFile(path.join(storage, 'backups', 'partial', 'kubectl-backup.json'), 'utf8')) as { status: { phase: string; errors: number } };
      assert.equal(record.status.phase, 'PartiallyFailed');
      assert.equal(record.status.errors, 1);
    } finally {
      e2e.api.faults.clear();
    }
  });
});
