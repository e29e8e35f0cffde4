import fs from 'node:fs';
import path from 'node:path';
import type { KubeObject } from '../src/kube/types.js';
import type { BenchTarget } from './bench-target.js';
import { withTarget } from './bench-workspace.js';
import { measure, type Measurement } from './measured-process.js';
import { parseSuiteArgs } from './suite-args.js';
import { printTable } from './table.js';

/** Objects created per request to the target: a few hundred MB in one would not fit a string. */
const createBatch = 20;

/**
 * `npm run bench -- large-items [COUNT [KB]] [--cluster]`: COUNT ConfigMaps of KB kilobytes each
 * (default 400 of 1000 KB, near the 1 MiB limit, as Helm release Secrets can be) in one
 * namespace, backed up by kubectl-backup and read by `kubectl get -o json > file`, side by side:
 * seconds, MB/s and peak RSS. What it shows: kubectl-backup's memory follows the size of a page
 * it chose (about 4 MiB of items), not the 500 items of --client-page-size, which here would be
 * a 400 MB page. The test server cannot serve a page over ~500 MB (a JavaScript string), so keep
 * COUNT × KB below that when it is the target.
 */
export async function largeItemsBenchmark(args: string[]): Promise<void> {
  const { numbers, cluster } = parseSuiteArgs('large-items', args, 2);
  const [count = 400, kilobytes = 1000] = numbers;
  await withTarget(cluster, async ({ dir, executable, target, names }) => {
    await target.create([names.namespace('large')]);
    const namespace = names.name('large');
    const started = Date.now();
    for (let from = 0; from < count; from += createBatch) await target.create(configMaps(from, Math.min(count, from + createBatch), kilobytes, namespace, names.labels));
    const megabytes = (count * kilobytes) / 1000;
    console.log(`\n${count} ConfigMaps of ${kilobytes} KB (${megabytes.toFixed(0)} MB) in namespace ${namespace}, created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const rows = [await backup(executable, target, dir, namespace), await kubectlGet(target, dir, namespace)];
    printTable(
      ['tool', 'items', 'seconds', 'MB/s', 'peak RSS MB'],
      rows.map((row) => [row.tool, row.items, row.run.seconds, megabytes / row.run.seconds, row.run.peakRssMb]),
    );
  });
}

interface Row {
  tool: string;
  items: number;
  run: Measurement;
}

function* configMaps(from: number, to: number, kilobytes: number, namespace: string, labels: Readonly<Record<string, string>>): Generator<KubeObject> {
  const filler = 'x'.repeat(kilobytes * 1000);
  for (let i = from; i < to; i++) {
    yield { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `large-${String(i).padStart(5, '0')}`, namespace, labels: { ...labels } }, data: { 'blob.txt': `${i}:${filler}`.slice(0, kilobytes * 1000) } };
  }
}

async function backup(executable: string, target: BenchTarget, work: string, namespace: string): Promise<Row> {
  const storage = path.join(work, 'storage');
  const run = await measure(executable, ['create', 'large-items', '--storage', `file://${storage}`, '--include-namespaces', namespace, '--include-resources', 'configmaps', '-o', 'json'], { env: target.env });
  if (run.code !== 0) throw new Error(`kubectl-backup failed (${run.code}): ${run.stderr}`);
  const record = JSON.parse(run.stdout) as { status: { progress: { itemsBackedUp: number } } };
  return { tool: 'kubectl-backup create', items: record.status.progress.itemsBackedUp, run };
}

async function kubectlGet(target: BenchTarget, work: string, namespace: string): Promise<Row> {
  const file = path.join(work, 'kubectl.json');
  const run = await measure('kubectl', ['get', 'configmaps', '-n', namespace, '-o', 'json'], { stdoutFile: file, env: target.env });
  if (run.code !== 0) throw new Error(`kubectl get failed: ${run.stderr}`);
  const items = (JSON.parse(fs.readFileSync(file, 'utf8')) as { items: unknown[] }).items.length;
  fs.rmSync(file);
  return { tool: 'kubectl get -n NS -o json > file', items, run };
}
