import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** What the benchmarks measure: the single executable of `npm run build`, as users run it. */
export const executable = path.join(repoRoot, 'dist', 'kubectl-backup');

export function requireBuiltExecutable(): void {
  if (!fs.existsSync(executable)) throw new Error('dist/kubectl-backup is missing: run npm run build first');
}
