/**
 * `npm run bench [-- SUITE...]`: runs the named benchmark suites (all when none is named).
 * Benchmarks create their own data and print a table; they are never part of `npm test`.
 */
import { restoreBenchmark } from './restore.js';
import { backupBenchmark } from './backup.js';
import { startupBenchmark } from './startup.js';

export type Suite = (args: string[]) => Promise<void>;

/** Suites by name; each lives in its own module. */
const suites: Record<string, Suite> = {
  startup: startupBenchmark,
  backup: backupBenchmark,
  restore: restoreBenchmark,
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
  await suite(rest);
}
