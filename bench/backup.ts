import { isLoopback } from '../src/kube/client.js';
import type { KubeObject } from '../src/kube/types.js';
import { selectorArgs, type BenchTarget } from './bench-target.js';
import { withTarget } from './bench-workspace.js';
import { endpointHandoff, type EndpointHandoff } from './endpoint-handoff.js';
import { backupCreate, fastestOf, kubectlGetConfigMaps, type ContenderRow as Row } from './listing-contenders.js';
import { measure } from './measured-process.js';
import { plainListScript } from './plain-list.js';
import { parseSuiteArgs } from './suite-args.js';
import { printTable } from './table.js';

const namespaces = 100;

/** Added to each 500-item LIST page with --paced: brings the test server near a real one's ~19 ms a page. */
const pacedPageDelayMs = 14;

/**
 * `npm run bench -- backup [SIZE...] [--rounds N] [--paced | --cluster]`: ConfigMaps of ~1.5 KB
 * across 100 namespaces, 10k then 100k by default (sizes are totals: each adds what is missing);
 * for each size, side by side: kubectl-backup (the built executable as installed, to a file://
 * location in the benchmark's workspace), a plain paginated LIST with bodies parsed and dropped
 * (page size 500), and `kubectl get configmaps -A -o json > file`. Each is a process timed from
 * its start to its exit; they run in turn N times (default 2) and each one's fastest run counts.
 *
 * By default the objects go into the API test server, started for the run in a process of its
 * own; `--paced` holds every LIST page for a while so that it answers at about a real API
 * server's speed. `--cluster` uses the cluster of the current context of `$KUBECONFIG` (or
 * ~/.kube/config) instead: the objects are created there in namespaces
 * `kubectl-backup-bench-RUN-NN` labelled `kubectl-backup.io/bench=RUN`, the three contenders list
 * that label alone (`-l`, `labelSelector`) and authenticate as the kubeconfig says, and the
 * namespaces are deleted at the end, whatever happens (bench-names.ts, kubeconfig-target.ts).
 *
 * Targets (quality.md, issue 3): ≥ 0.8 × plain LIST, ≥ 2 × kubectl (5 × asked), peak RSS
 * ≤ 150 MB at 100k and ≤ 1.2 × the 10k peak.
 */
export async function backupBenchmark(args: string[]): Promise<void> {
  const { numbers, paced, cluster, rounds = 2 } = parseSuiteArgs('backup', args);
  const sizes = numbers.length > 0 ? numbers : [10_000, 100_000];
  await withTarget(cluster, async ({ dir: work, executable, target, names }) => {
    const peaks: number[] = [];
    const suffixes = Array.from({ length: namespaces }, (_, i) => String(i).padStart(2, '0'));
    await target.create(suffixes.map((suffix) => names.namespace(suffix)));
    const namespaceNames = suffixes.map((suffix) => names.name(suffix));
    if (paced) {
      if (!target.addFaults) throw new Error('--paced needs the test server');
      // Every LIST page of ConfigMaps waits, so that pages come about as fast as from a real API
      // server (quality.md: 20k ConfigMaps in ~0.75 s, ~26k items/s); the test server alone is
      // several times faster, and then the CPU of this 2-core machine, shared with it, decides.
      await target.addFaults([{ method: 'GET', path: '/configmaps$', delayMs: pacedPageDelayMs, times: 0 }]);
      console.log(`LIST pages of ConfigMaps held ${pacedPageDelayMs} ms each (--paced), as a real API server's are slower than the test server's`);
    }
    let created = 0;
    for (const size of [...sizes].sort((a, b) => a - b)) {
      const started = Date.now();
      created += await target.create(configMaps(created, size - created, namespaceNames, names.labels));
      console.log(`\n${size} ConfigMaps (~1.5 KB each, ${namespaces} namespaces), created in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      const rows = await fastestOf(rounds, [
        async () => plainList(target),
        async (round) => backupCreate(executable, target, work, names.name(`${size}-${round}`), ['--include-resources', 'configmaps', ...selectorArgs(target), '--log-format', 'json']),
        async () => kubectlGetConfigMaps(target, work, ['-A', ...selectorArgs(target)], 'kubectl get -A -o json > file'),
      ]);
      if (rounds > 1) console.log(`fastest of ${rounds} runs each, run in turn; peak RSS the highest of the runs`);
      report(rows);
      peaks.push(rows[1]!.run.peakRssMb);
    }
    if (peaks.length > 1) {
      const growth = peaks[peaks.length - 1]! / peaks[0]!;
      console.log(`\nkubectl-backup peak RSS: ${peaks.map((p) => `${p.toFixed(0)} MB`).join(' → ')} (×${growth.toFixed(2)}; target ≤ 1.2, and ≤ 150 MB)`);
    }
  });
}

function* configMaps(from: number, count: number, namespaceNames: readonly string[], labels: Readonly<Record<string, string>>): Generator<KubeObject> {
  const filler = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(40).slice(0, 1300);
  for (let i = from; i < from + count; i++) {
    yield {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${String(i).padStart(7, '0')}`, namespace: namespaceNames[i % namespaces], labels: { ...labels, shard: String(i % 7) } },
      data: { 'config.txt': `${i}:${filler}` },
    };
  }
}

async function plainList(target: BenchTarget): Promise<Row> {
  const input = await endpointHandoff(target.env);
  const host = new URL((JSON.parse(input) as EndpointHandoff).server).hostname.replace(/^\[(.*)\]$/, '$1');
  const encoding = isLoopback(host) ? 'identity' : 'gzip';
  const run = await measure(process.execPath, ['-e', plainListScript, encoding, '/api/v1/configmaps', '500', ...(target.selector === undefined ? [] : [target.selector])], { input });
  if (run.code !== 0) throw new Error(`plain LIST failed: ${run.stderr}`);
  const { items, seconds } = JSON.parse(run.stdout) as { items: number; seconds: number };
  return { tool: 'plain LIST (page 500, parse + drop)', items, run, listingSeconds: seconds };
}

function report(rows: Row[]): void {
  const rate = (row: Row) => row.items / row.run.seconds;
  const [plain, ours, kubectl] = rows as [Row, Row, Row];
  printTable(
    ['tool', 'items', 'seconds', 'CPU s', 'items/s', 'peak RSS MB', 'vs plain LIST', 'vs kubectl'],
    rows.map((row) => [row.tool, row.items, row.run.seconds, row.run.cpuSeconds, Math.round(rate(row)), row.run.peakRssMb, rate(row) / rate(plain), rate(row) / rate(kubectl)]),
  );
  const vsPlain = rate(ours) / rate(plain);
  const vsKubectl = rate(ours) / rate(kubectl);
  console.log(
    `kubectl-backup: ${vsPlain.toFixed(2)} × plain LIST (target ≥ 0.8), ${vsKubectl.toFixed(1)} × kubectl (target ≥ 2, quality.md 5), peak RSS ${ours.run.peakRssMb.toFixed(0)} MB`,
  );
  if (ours.listingSeconds !== undefined && plain.listingSeconds !== undefined) {
    // The same comparison without either process's start-up: from the first LIST to the last page.
    const listingRatio = ours.items / ours.listingSeconds / (plain.items / plain.listingSeconds);
    console.log(`while listing (first LIST to last page): kubectl-backup ${ours.listingSeconds.toFixed(2)} s, plain LIST ${plain.listingSeconds.toFixed(2)} s: ${listingRatio.toFixed(2)} × plain LIST`);
  }
}
