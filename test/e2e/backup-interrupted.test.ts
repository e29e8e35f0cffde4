import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { restoreKeys } from '../../src/storage/layout.js';
import { configMap, namespace } from '../builders/backup-objects.js';
import { eventually } from '../helpers/kubectl.js';
import { startE2e, type E2e } from '../helpers/plugin.js';

const items = 40;
const pageSize = 5;
const day = 24 * 3_600_000;

async function filesIn(dir: string): Promise<string[]> {
  return (await fs.readdir(dir).catch(() => [])).sort();
}

/** Every ConfigMap is in the backup (with the namespace's kube-root-ca.crt, and the Namespace). */
function assertCompleted(stdout: string, name: string): void {
  const completed = new RegExp(`Backup "${name}" Completed: (\\d+) items`).exec(stdout);
  assert.ok(completed, stdout);
  assert.ok(Number(completed[1]) >= items, stdout);
}

/**
 * quality.md, Reliability: the process killed mid-backup (SIGINT, SIGTERM, SIGKILL) leaves no
 * record, and the next `create` of that name and `gc` work. The built executable, through
 * kubectl (which execs the plugin, so the signal reaches it), is stopped while its second LIST
 * page is held by the API server: part of the archive is written, nothing is committed.
 */
describe('e2e: a backup killed mid-run', function () {
  this.timeout(120_000);
  let e2e: E2e;
  let storage: string;
  let url: string;
  const partials = () => filesIn(path.join(storage, '.partial'));
  const record = (name: string) => path.join(storage, 'backups', name, 'kubectl-backup.json');
  const createArgs = (name: string) => ['create', name, '--storage', url, '--include-namespaces', 'app', '--include-resources', 'configmaps', '--client-page-size', String(pageSize)];

  before(async () => {
    e2e = await startE2e();
    ({ dir: storage, url } = e2e.directory('storage'));
    await e2e.api.seed([namespace('app'), ...Array.from({ length: items }, (_, i) => configMap('app', `conf-${String(i).padStart(2, '0')}`))]);
  });
  after(() => e2e?.close());

  /** Starts a backup and stops it with `signal` once its first page is in the archive and the second is held. */
  async function interrupted(name: string, signal: NodeJS.Signals) {
    e2e.api.requestLog.clear();
    const held = e2e.api.faults.add({ method: 'GET', path: '/namespaces/app/configmaps$', query: { continue: true }, delayMs: 20_000 });
    const running = e2e.start(...createArgs(name));
    try {
      await eventually(() => e2e.api.requestLog.list().some((r) => r.path.endsWith('/configmaps') && r.status === 200 && !r.query.includes('continue=')), 30_000, 'the first LIST page');
      await eventually(async () => (await partials()).length > 0, 30_000, 'the archive being written');
      running.kill(signal);
      return { ...(await running.result), pid: running.pid };
    } finally {
      e2e.api.faults.remove(held);
    }
  }

  /** A new backup of the name completes and verifies. */
  async function assertNameReusable(name: string): Promise<void> {
    const again = await e2e.backup(...createArgs(name));
    assert.equal(again.code, 0, again.stderr);
    assertCompleted(again.stdout, name);
    const verified = await e2e.backup('verify', name, '--storage', url);
    assert.equal(verified.code, 0, verified.stderr);
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal} stops, says nothing was committed, leaves nothing behind, and the name can be used again`, async () => {
      const name = `stopped-${signal.toLowerCase()}`;
      const result = await interrupted(name, signal);
      assert.equal(result.code, ExitCode.Failed, result.stderr);
      assert.match(result.stderr, new RegExp(`backup "${name}" interrupted by ${signal}; nothing was committed`));
      await assert.rejects(fs.access(record(name)), 'no record');
      assert.deepEqual(await partials(), [], 'the partial archive is removed');
      const listed = await e2e.backup('get', '--storage', url, '-o', 'json');
      assert.equal(listed.code, 0, listed.stderr);
      assert.ok(!listed.stdout.includes(`"${name}"`), 'get does not list it');

      await assertNameReusable(name);
    });
  }

  it('on SIGKILL commits nothing; the name can be used again, and gc removes the partial archive once a day old', async () => {
    const name = 'killed';
    const result = await interrupted(name, 'SIGKILL');
    assert.equal(result.signal, 'SIGKILL');
    await assert.rejects(fs.access(record(name)), 'no record');
    const leftovers = await partials();
    assert.ok(leftovers.length > 0, 'a killed process cannot clean up after itself');

    await assertNameReusable(name);

    const young = await e2e.backup('gc', '--storage', url);
    assert.equal(young.code, 0, young.stderr);
    assert.deepEqual(await partials(), leftovers, 'a partial write less than a day old may belong to a running backup');
    const twoDaysAgo = new Date(Date.now() - 2 * day);
    for (const file of leftovers) await fs.utimes(path.join(storage, '.partial', file), twoDaysAgo, twoDaysAgo);
    const collected = await e2e.backup('gc', '--storage', url);
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(collected.stdout, new RegExp(`deleted ${leftovers.length} partial uploads? of writes that never finished`));
    assert.deepEqual(await partials(), []);
    assert.ok((await filesIn(path.join(storage, 'backups', name))).includes('kubectl-backup.json'), 'the backup made after the kill stays');
  });

  // Last: the CRDs stay installed.
  it('on SIGKILL with the CRDs installed leaves its Backup object running, and the next create of the name on this machine takes it over at once', async () => {
    const installed = await e2e.backup('install');
    assert.equal(installed.code, 0, installed.stderr);
    const name = 'killed-with-crds';
    const result = await interrupted(name, 'SIGKILL');
    assert.equal(result.signal, 'SIGKILL');
    await assert.rejects(fs.access(record(name)), 'no record');
    const left = await e2e.kubectl.json<BackupObject>(['get', 'backup', name, '-n', 'kubectl-backup']);
    assert.match(left.status?.phase ?? 'New', /^(New|InProgress)$/, 'a killed process cannot write its last phase');
    assert.equal(left.metadata.annotations?.['kubectl-backup.io/run-pid'], String(result.pid));

    await assertNameReusable(name);
    const taken = await e2e.kubectl.json<BackupObject>(['get', 'backup', name, '-n', 'kubectl-backup']);
    assert.notEqual(taken.metadata.uid, left.metadata.uid);
    assert.equal(taken.status?.phase, 'Completed');

    const gc = await e2e.backup('gc', '--storage', url);
    assert.equal(gc.code, 0, gc.stderr);
    assert.ok((await filesIn(path.join(storage, 'backups', name))).includes('kubectl-backup.json'), 'the backup made after the kill stays');
  });

  // After the test above: its backup and the CRDs are there.
  it('on SIGINT, a restore stops creating, and its record and Restore object say Failed, with why, before it exits', async () => {
    const held = e2e.api.faults.add({ method: 'POST', path: '/namespaces/app-int/configmaps$', delayMs: 20_000, times: 0 });
    try {
      const running = e2e.start('restore', 'create', 'r-int', '--from-backup', 'killed-with-crds', '--storage', url, '--namespace-mappings', 'app:app-int');
      await eventually(() => e2e.api.requestLog.list().some((r) => r.method === 'POST' && r.path.endsWith('/namespaces/app-int/configmaps')), 30_000, 'the first create, held');
      const creates = () => e2e.api.requestLog.list().filter((r) => r.method === 'POST' && r.path.endsWith('/namespaces/app-int/configmaps')).length;
      // The pool's creates in flight are all held: none is answered before the signal.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const sent = creates();
      running.kill('SIGINT');
      const result = await running.result;
      assert.equal(result.code, ExitCode.Failed, result.stderr);
      assert.match(result.stdout, /^Restore "r-int" from backup "killed-with-crds": Failed in /m);
      assert.match(result.stderr, /restore "r-int" failed: interrupted by SIGINT/);
      assert.equal(creates(), sent, 'no create is sent after the signal');
    } finally {
      e2e.api.faults.remove(held);
    }
    const object = await e2e.kubectl.json<BackupObject & { status?: { failureReason?: string } }>(['get', 'restore', 'r-int', '-n', 'kubectl-backup']);
    assert.equal(object.status?.phase, 'Failed');
    assert.equal(object.status?.failureReason, 'interrupted by SIGINT');
    const record = JSON.parse(await fs.readFile(path.join(storage, ...restoreKeys('r-int').record.split('/')), 'utf8')) as { status: { phase: string; failureReason: string } };
    assert.deepEqual([record.status.phase, record.status.failureReason], ['Failed', 'interrupted by SIGINT']);
  });
});

interface BackupObject {
  metadata: { uid: string; annotations?: Record<string, string> };
  status?: { phase?: string };
}
