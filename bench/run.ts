/**
 * `npm run bench [-- SUITE [ARGS...]]`: runs the named benchmark suite with its arguments, or
 * every suite with its defaults when none is named. Benchmarks create their own data and print
 * a table; they are never part of `npm test`. `backup` and `restore` take `--cluster` to run in
 * the cluster of KUBECONFIG's current context instead of the API test server (backup.ts,
 * restore.ts).
 */
import { BadInputError } from '../src/errors.js';
import { restoreBenchmark } from './restore.js';
import { backupBenchmark } from './backup.js';
import { largeItemsBenchmark } from './large-items.js';
import { startupBenchmark } from './startup.js';

export type Suite = (args: string[]) => Promise<void>;

/** Suites by name; each lives in its own module. */
const suites: Record<string, Suite> = {
  startup: startupBenchmark,
  backup: backupBenchmark,
  restore: restoreBenchmark,
  'large-items': largeItemsBenchmark,
};

const [selected, ...rest] = process.argv.slice(2);
const names = selected ? [selected] : Object.keys(suites);
for (const name of names) {
  const suite = suites[name];
  if (!suite) {
    console.error(`unknown benchmark ${name}; known: ${Object.keys(suites).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name} ==`);
  try {
    await suite(rest);
  } catch (err) {
    if (!(err instanceof BadInputError)) throw err;
    console.error(err.message);
    process.exit(err.exitCode);
  }
}
