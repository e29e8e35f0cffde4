import { spawnSync } from 'node:child_process';
import { inWorkspace } from './bench-workspace.js';
import { median, printTable } from './table.js';

/** Median wall time of `kubectl-backup --help` from the single executable (target ≤ 150 ms). */
export async function startupBenchmark(args: string[]): Promise<void> {
  const runs = Number(args[0] ?? 21);
  await inWorkspace(async ({ executable }) => measureStartup(executable, runs));
}

function measureStartup(executable: string, runs: number): void {
  const measure = (argv: string[]) => {
    const times: number[] = [];
    for (let i = 0; i < runs + 1; i++) {
      const start = process.hrtime.bigint();
      const result = spawnSync(executable, argv, { stdio: 'ignore' });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (result.status !== 0) throw new Error(`${argv.join(' ')} exited ${result.status}`);
      if (i > 0) times.push(ms); // the first run warms the page cache
    }
    return times;
  };
  const rows = [['--help'], ['version', '--kubeconfig', '/dev/null']].map((argv) => {
    const times = measure(argv);
    return [`kubectl-backup ${argv[0]}`, runs, median(times), Math.min(...times), Math.max(...times)];
  });
  printTable(['command', 'runs', 'median ms', 'min ms', 'max ms'], rows);
  console.log('target: --help median <= 150 ms');
}
