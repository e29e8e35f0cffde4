import type { KubeObject } from '../src/kube/types.js';
import { withTarget } from './bench-workspace.js';
import { backupCreate, fastestOf, kubectlGetConfigMaps } from './listing-contenders.js';
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
  const { numbers, cluster, rounds = 1 } = parseSuiteArgs('large-items', args, 2);
  const [count = 400, kilobytes = 1000] = numbers;
  await withTarget(cluster, async ({ dir, executable, target, names }) => {
    await target.create([names.namespace('large')]);
    const namespace = names.name('large');
    const started = Date.now();
    for (let from = 0; from < count; from += createBatch) await target.create(configMaps(from, Math.min(count, from + createBatch), kilobytes, namespace, names.labels));
    const megabytes = (count * kilobytes) / 1000;
    console.log(`\n${count} ConfigMaps of ${kilobytes} KB (${megabytes.toFixed(0)} MB) in namespace ${namespace}, created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const rows = await fastestOf(rounds, [
      async (round) => backupCreate(executable, target, dir, names.name(`large-items-${round}`), ['--include-namespaces', namespace, '--include-resources', 'configmaps']),
      async () => kubectlGetConfigMaps(target, dir, ['-n', namespace], 'kubectl get -n NS -o json > file'),
    ]);
    printTable(
      ['tool', 'items', 'seconds', 'CPU s', 'MB/s', 'peak RSS MB'],
      rows.map((row) => [row.tool, row.items, row.run.seconds, row.run.cpuSeconds, megabytes / row.run.seconds, row.run.peakRssMb]),
    );
  });
}

function* configMaps(from: number, to: number, kilobytes: number, namespace: string, labels: Readonly<Record<string, string>>): Generator<KubeObject> {
  const filler = 'x'.repeat(kilobytes * 1000);
  for (let i = from; i < to; i++) {
    yield { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `large-${String(i).padStart(5, '0')}`, namespace, labels: { ...labels } }, data: { 'blob.txt': `${i}:${filler}`.slice(0, kilobytes * 1000) } };
  }
}
