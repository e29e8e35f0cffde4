import fs from 'node:fs';
import path from 'node:path';
import { withTestCluster } from './bench-workspace.js';
import { measure, type Measurement } from './measured-process.js';
import { plainListScript } from './plain-list.js';
import { printTable } from './table.js';
import type { ClusterProcess } from './test-cluster-process.js';

const namespaces = 100;

/** Added to each 500-item LIST page with --paced: brings the test server near a real one's ~19 ms a page. */
const pacedPageDelayMs = 14;

interface Row {
  tool: string;
  items: number;
  run: Measurement;
}

/**
 * `npm run bench -- backup [SIZE...] [--paced]`: ConfigMaps of ~1.5 KB across 100 namespaces in the test
 * API server (its own process), 10k then 100k by default; for each size, side by side:
 * kubectl-backup (the built executable as installed, to a file:// location), a plain paginated LIST with
 * bodies parsed and dropped (page size 500), and `kubectl get configmaps -A -o json > file`.
 * Targets (quality.md, issue 3): ≥ 0.8 × plain LIST, ≥ 2 × kubectl (5 × asked), peak RSS
 * ≤ 150 MB at 100k and ≤ 1.2 × the 10k peak. `--paced` holds every LIST page for a while so
 * that the server answers at about a real API server's speed.
 */
export async function backupBenchmark(args: string[]): Promise<void> {
  const paced = args.includes('--paced');
  const sizeArgs = args.filter((arg) => arg !== '--paced');
  const sizes = sizeArgs.length > 0 ? sizeArgs.map(Number) : [10_000, 100_000];
  await withTestCluster(async ({ dir: work, executable, cluster }) => {
    const peaks: number[] = [];
    await cluster.seed(Array.from({ length: namespaces }, (_, i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespaceName(i) } })));
    if (paced) {
      // Every LIST page of ConfigMaps waits, so that pages come about as fast as from a real API
      // server (quality.md: 20k ConfigMaps in ~0.75 s, ~26k items/s); the test server alone is
      // several times faster, and then the CPU of this 2-core machine, shared with it, decides.
      await cluster.addFaults([{ method: 'GET', path: '/configmaps$', delayMs: pacedPageDelayMs, times: 0 }]);
      console.log(`LIST pages of ConfigMaps held ${pacedPageDelayMs} ms each (--paced), as a real API server's are slower than the test server's`);
    }
    let seeded = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const started = Date.now();
      // Sizes are totals: the next size adds what is missing.
      seeded += await cluster.seed(configMaps(seeded, size - seeded));
      console.log(`\n${size} ConfigMaps (~1.5 KB each, ${namespaces} namespaces), seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const rows = [await plainList(cluster), await backup(executable, cluster, work, size), await kubectlGet(cluster, work)];
      report(rows);
      peaks.push(rows[1]!.run.peakRssMb);
    }
    if (peaks.length > 1) {
      const growth = peaks[peaks.length - 1]! / peaks[0]!;
      console.log(`\nkubectl-backup peak RSS: ${peaks.map((p) => `${p.toFixed(0)} MB`).join(' → ')} (×${growth.toFixed(2)}; target ≤ 1.2, and ≤ 150 MB)`);
    }
  });
}

function namespaceName(i: number): string {
  return `bench-${String(i).padStart(2, '0')}`;
}

function* configMaps(from: number, count: number): Generator<object> {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(40).slice(0, 1300);
  for (let i = from; i < from + count; i++) {
    yield {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${String(i).padStart(7, '0')}`, namespace: namespaceName(i % namespaces), labels: { app: 'bench', shard: String(i % 7) } },
      data: { 'config.txt': `${i}:${filler}` },
    };
  }
}

async function plainList(cluster: ClusterProcess): Promise<Row> {
  const run = await measure(process.execPath, ['-e', plainListScript, cluster.url, cluster.token, '/api/v1/configmaps', '500']);
  if (run.code !== 0) throw new Error(`plain LIST failed: ${run.stderr}`);
  return { tool: 'plain LIST (page 500, parse + drop)', items: Number(run.stdout), run };
}

async function backup(executable: string, cluster: ClusterProcess, work: string, size: number): Promise<Row> {
  const storage = path.join(work, 'storage');
  const run = await measure(
    executable,
    ['create', `bench-${size}`, '--storage', `file://${storage}`, '--include-resources', 'configmaps', '--kubeconfig', cluster.kubeconfig, '--log-format', 'json', '-o', 'json'],
    { env: { ...process.env, KUBECONFIG: cluster.kubeconfig } },
  );
  if (run.code !== 0) throw new Error(`kubectl-backup failed (${run.code}): ${run.stderr}`);
  const record = JSON.parse(run.stdout) as { status: { progress: { itemsBackedUp: number } } };
  return { tool: 'kubectl-backup create', items: record.status.progress.itemsBackedUp, run };
}

async function kubectlGet(cluster: ClusterProcess, work: string): Promise<Row> {
  const file = path.join(work, 'kubectl.json');
  const run = await measure('kubectl', ['get', 'configmaps', '-A', '-o', 'json', '--kubeconfig', cluster.kubeconfig], { stdoutFile: file });
  if (run.code !== 0) throw new Error(`kubectl get failed: ${run.stderr}`);
  const items = (JSON.parse(fs.readFileSync(file, 'utf8')) as { items: unknown[] }).items.length;
  fs.rmSync(file);
  return { tool: 'kubectl get -A -o json > file', items, run };
}

function report(rows: Row[]): void {
  const rate = (row: Row) => row.items / row.run.seconds;
  const [plain, ours, kubectl] = rows as [Row, Row, Row];
  printTable(
    ['tool', 'items', 'seconds', 'items/s', 'peak RSS MB', 'vs plain LIST', 'vs kubectl'],
    rows.map((row) => [row.tool, row.items, row.run.seconds, Math.round(rate(row)), row.run.peakRssMb, rate(row) / rate(plain), rate(row) / rate(kubectl)]),
  );
  const vsPlain = rate(ours) / rate(plain);
  const vsKubectl = rate(ours) / rate(kubectl);
  console.log(
    `kubectl-backup: ${vsPlain.toFixed(2)} × plain LIST (target ≥ 0.8), ${vsKubectl.toFixed(1)} × kubectl (target ≥ 2, quality.md 5), peak RSS ${ours.run.peakRssMb.toFixed(0)} MB`,
  );
}
