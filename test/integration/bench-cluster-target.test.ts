import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BenchNames } from '../../bench/bench-names.js';
import type { BenchTarget } from '../../bench/bench-target.js';
import { endpointHandoff } from '../../bench/endpoint-handoff.js';
import { kubeconfigTarget } from '../../bench/kubeconfig-target.js';
import { measure } from '../../bench/measured-process.js';
import { plainCreateLoopScript } from '../../bench/plain-create-loop.js';
import { plainListScript } from '../../bench/plain-list.js';
import { isNotFound } from '../../src/kube/api-error.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';

/**
 * `npm run bench -- backup|restore --cluster` against a server that wants TLS and a token: the
 * objects go in by ordinary creates, the plain contenders authenticate through the kubeconfig,
 * and the clean-up removes the run's namespaces and nothing else.
 */
describe('benchmark target: the cluster of KUBECONFIG (--cluster)', function () {
  this.timeout(60_000);
  let server: TestApiServer;
  let env: NodeJS.ProcessEnv;
  let client: KubeClient;
  let dir: string;
  const names = new BenchNames('t3st00');
  const lines: string[] = [];
  let target: BenchTarget;

  const configMap = (namespace: string, name: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels: { ...names.labels } }, data: { a: name } });

  before(async () => {
    server = await startTestApiServer({ tls: true, requireAuth: true });
    env = { KUBECONFIG: server.kubeconfigPath, PATH: process.env.PATH };
    client = (await connectCluster({ env })).client;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-target-'));
    // The user's objects, and those another run left: the clean-up must not touch either.
    await server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'keep-me' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mine', namespace: 'keep-me' } },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubectl-backup-bench-zzzzzz-00', labels: { 'kubectl-backup.io/bench': 'zzzzzz' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other-run', namespace: 'kubectl-backup-bench-zzzzzz-00', labels: { 'kubectl-backup.io/bench': 'zzzzzz' } } },
    ]);
    target = await kubeconfigTarget(names, env, (line) => lines.push(line));
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('describes the context and server, lists by the run label, and has no faults to inject', () => {
    assert.match(target.description, new RegExp(`^context "test-cluster" of ${server.kubeconfigPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(https://127\\.0\\.0\\.1:\\d+\\)$`));
    assert.ok(!target.description.includes(server.token));
    assert.equal(target.selector, 'kubectl-backup.io/bench=t3st00');
    assert.equal(target.addFaults, undefined);
    assert.equal(target.startedCold, false);
  });

  it('creates the run objects by ordinary creates, and refuses objects outside the run namespaces', async () => {
    assert.equal(await target.create([names.namespace('00'), names.namespace('01')]), 2);
    assert.equal(await target.create([0, 1, 2, 3, 4].map((i) => configMap(names.name(String(i % 2).padStart(2, '0')), `cm-${i}`))), 5);
    const created = await client.json<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${names.name('01')}/configmaps/cm-1` });
    assert.equal(created.metadata.labels?.['kubectl-backup.io/bench'], 't3st00');

    await assert.rejects(target.create([configMap('keep-me', 'intruder')]), /ConfigMap intruder is not in a namespace of this run \(kubectl-backup-bench-t3st00-\*\)/);
    await assert.rejects(target.create([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kubectl-backup-bench-zzzzzz-01' } }]), /not in a namespace of this run/);
    await assert.rejects(client.json({ method: 'GET', path: '/api/v1/namespaces/keep-me/configmaps/intruder' }), isNotFound);
  });

  it('runs the plain LIST over TLS with the kubeconfig token, paginated, on the run label alone', async () => {
    const run = await measure(process.execPath, ['-e', plainListScript, 'identity', '/api/v1/configmaps', '2', names.selector], { input: await endpointHandoff(env) });
    assert.equal(run.stderr, '');
    assert.equal(run.code, 0);
    const listed = JSON.parse(run.stdout) as { items: number; seconds: number };
    assert.equal(listed.items, 5);
    assert.ok(listed.seconds > 0 && listed.seconds < run.seconds, `${listed.seconds} s of listing in a run of ${run.seconds} s`);
    const lists = server.requestLog.list().filter((r) => r.method === 'GET' && r.path === '/api/v1/configmaps');
    assert.equal(lists.length, 3);
    assert.ok(lists.every((r) => r.status === 200));
  });

  it('fails the plain LIST when the server does not take the credentials', async () => {
    const handoff = JSON.parse(await endpointHandoff(env)) as { headers: Record<string, string> };
    handoff.headers = { Authorization: 'Bearer wrong' };
    const run = await measure(process.execPath, ['-e', plainListScript, 'identity', '/api/v1/configmaps', '2'], { input: JSON.stringify(handoff) });
    assert.equal(run.code, 1);
    assert.match(run.stderr, /HTTP 401/);
  });

  it('runs the plain create loop over TLS with the kubeconfig token', async () => {
    const file = path.join(dir, 'requests.jsonl');
    const namespace = names.namespace('loop');
    const requests = [
      { path: '/api/v1/namespaces', body: namespace },
      { path: `/api/v1/namespaces/${namespace.metadata.name}/configmaps`, body: configMap(namespace.metadata.name, 'a') },
      { path: `/api/v1/namespaces/${namespace.metadata.name}/configmaps`, body: configMap(namespace.metadata.name, 'b') },
    ];
    fs.writeFileSync(file, requests.map((r) => JSON.stringify(r)).join('\n'));
    const run = await measure(process.execPath, ['-e', plainCreateLoopScript, file, '4'], { input: await endpointHandoff(env) });
    assert.equal(run.code, 0, run.stderr);
    assert.equal((JSON.parse(run.stdout) as { created: number }).created, 3);
    const posts = server.requestLog.list().filter((r) => r.method === 'POST' && r.path === `/api/v1/namespaces/${namespace.metadata.name}/configmaps`);
    assert.deepEqual(posts.map((r) => r.status), [201, 201]);
  });

  it('asks for the deletion of the run namespaces only, says so, and creates nothing after', async () => {
    await target.close();
    for (const suffix of ['00', '01', 'loop']) {
      const namespace = await client.json<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${names.name(suffix)}` }).catch((err: unknown) => (isNotFound(err) ? undefined : Promise.reject(err)));
      assert.ok(namespace === undefined || namespace.metadata.deletionTimestamp !== undefined, `${names.name(suffix)} is neither gone nor terminating`);
    }
    for (const kept of ['keep-me', 'kubectl-backup-bench-zzzzzz-00']) {
      const namespace = await client.json<KubeObject>({ method: 'GET', path: `/api/v1/namespaces/${kept}` });
      assert.equal(namespace.metadata.deletionTimestamp, undefined, kept);
    }
    assert.deepEqual(lines, ['deletion of 3 namespace(s) kubectl-backup-bench-t3st00-* requested; the cluster removes them and their objects in the background (kubectl get namespaces -l kubectl-backup.io/bench=t3st00)']);
    await target.close();
    assert.equal(lines.length, 1, 'a second close does the clean-up once');
    await assert.rejects(target.create([names.namespace('02')]), /the benchmark is stopping/);
  });
});
