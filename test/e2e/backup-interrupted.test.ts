import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ExitCode } from '../../src/errors.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { configMap, namespace } from '../builders/backup-objects.js';
import { eventually } from '../helpers/kubectl.js';
import { kubectlBackup, requireExecutable, startKubectlBackup } from '../helpers/plugin.js';

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
  let api: TestApiServer;
  let dir: string;
  let storage: string;
  let url: string;
  const env = (): NodeJS.ProcessEnv => ({ XDG_DATA_HOME: path.join(dir, 'xdg'), KUBECACHEDIR: path.join(dir, 'kube-cache') });
  const partials = () => filesIn(path.join(storage, '.partial'));
  const record = (name: string) => path.join(storage, 'backups', name, 'kubectl-backup.json');
  const createArgs = (name: string) => ['create', name, '--storage', url, '--include-namespaces', 'app', '--include-resources', 'configmaps', '--client-page-size', String(pageSize)];

  before(async () => {
    requireExecutable();
    api = await startTestApiServer();
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'backup-killed-e2e-'));
    storage = path.join(dir, 'storage');
    url = pathToFileURL(storage).href;
    await api.seed([namespace('app'), ...Array.from({ length: items }, (_, i) => configMap('app', `conf-${String(i).padStart(2, '0')}`))]);
  });
  after(async () => {
    await api.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  /** Starts a backup and stops it with `signal` once its first page is in the archive and the second is held. */
  async function interrupted(name: string, signal: NodeJS.Signals) {
    api.requestLog.clear();
    const held = api.faults.add({ method: 'GET', path: '/namespaces/app/configmaps$', query: { continue: true }, delayMs: 20_000 });
    const running = startKubectlBackup(createArgs(name), { kubeconfig: api.kubeconfigPath, env: env() });
    try {
      await eventually(() => api.requestLog.list().some((r) => r.path.endsWith('/configmaps') && r.status === 200 && !r.query.includes('continue=')), 30_000, 'the first LIST page');
      await eventually(async () => (await partials()).length > 0, 30_000, 'the archive being written');
      running.kill(signal);
      return await running.result;
    } finally {
      api.faults.remove(held);
    }
  }

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`on ${signal} stops, says nothing was committed, leaves nothing behind, and the name can be used again`, async () => {
      const name = `stopped-${signal.toLowerCase()}`;
      const result = await interrupted(name, signal);
      assert.equal(result.code, ExitCode.Failed, result.stderr);
      assert.match(result.stderr, new RegExp(`backup "${name}" interrupted by ${signal}; nothing was committed`));
      await assert.rejects(fs.access(record(name)), 'no record');
      assert.deepEqual(await partials(), [], 'the partial archive is removed');
      const listed = await kubectlBackup(['get', '--storage', url, '-o', 'json'], { kubeconfig: api.kubeconfigPath, env: env() });
      assert.equal(listed.code, 0, listed.stderr);
      assert.ok(!listed.stdout.includes(`"${name}"`), 'get does not list it');

      const again = await kubectlBackup(createArgs(name), { kubeconfig: api.kubeconfigPath, env: env() });
      assert.equal(again.code, 0, again.stderr);
      assertCompleted(again.stdout, name);
      const verified = await kubectlBackup(['verify', name, '--storage', url], { kubeconfig: api.kubeconfigPath, env: env() });
      assert.equal(verified.code, 0, verified.stderr);
    });
  }

  it('on SIGKILL commits nothing; the name can be used again, and gc removes the partial archive once a day old', async () => {
    const name = 'killed';
    const result = await interrupted(name, 'SIGKILL');
    assert.equal(result.signal, 'SIGKILL');
    await assert.rejects(fs.access(record(name)), 'no record');
    const leftovers = await partials();
    assert.ok(leftovers.length > 0, 'a killed process cannot clean up after itself');

    const again = await kubectlBackup(createArgs(name), { kubeconfig: api.kubeconfigPath, env: env() });
    assert.equal(again.code, 0, again.stderr);
    assertCompleted(again.stdout, name);
    const verified = await kubectlBackup(['verify', name, '--storage', url], { kubeconfig: api.kubeconfigPath, env: env() });
    assert.equal(verified.code, 0, verified.stderr);

    const young = await kubectlBackup(['gc', '--storage', url], { kubeconfig: api.kubeconfigPath, env: env() });
    assert.equal(young.code, 0, young.stderr);
    assert.deepEqual(await partials(), leftovers, 'a partial write less than a day old may belong to a running backup');
    const twoDaysAgo = new Date(Date.now() - 2 * day);
    for (const file of leftovers) await fs.utimes(path.join(storage, '.partial', file), twoDaysAgo, twoDaysAgo);
    const collected = await kubectlBackup(['gc', '--storage', url], { kubeconfig: api.kubeconfigPath, env: env() });
    assert.equal(collected.code, 0, collected.stderr);
    assert.match(collected.stdout, new RegExp(`deleted ${leftovers.length} partial uploads? of writes that never finished`));
    assert.deepEqual(await partials(), []);
    assert.ok((await filesIn(path.join(storage, 'backups', name))).includes('kubectl-backup.json'), 'the backup made after the kill stays');
  });
});
