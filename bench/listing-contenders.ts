import fs from 'node:fs';
import path from 'node:path';
import type { BenchTarget } from './bench-target.js';
import { logSpan } from './log-span.js';
import { measure, type Measurement } from './measured-process.js';

/** A contender of the listing suites (backup, large-items): its measured run and the items it read. */
export interface ContenderRow {
  tool: string;
  items: number;
  run: Measurement;
  /** Seconds from the first LIST to the last page taken in, where the contender tells. */
  listingSeconds?: number;
}

/** One contender of a comparison; `round` counts from 1, for names that must differ between runs. */
export type Contender = (round: number) => Promise<ContenderRow>;

/**
 * Runs the contenders `rounds` times, in turn, and keeps each one's fastest run, so that a moment
 * of load on the machine (shared with the server) does not decide the comparison. Memory is
 * reported at its worst: the peak RSS kept is the highest of the contender's runs.
 */
export async function fastestOf(rounds: number, contenders: readonly Contender[]): Promise<ContenderRow[]> {
  const best: (ContenderRow | undefined)[] = contenders.map(() => undefined);
  for (let round = 1; round <= rounds; round++) {
    for (const [i, contender] of contenders.entries()) {
      const row = await contender(round);
      const previous = best[i];
      const fastest = previous === undefined || row.run.seconds < previous.run.seconds ? row : previous;
      best[i] = { ...fastest, run: { ...fastest.run, peakRssMb: Math.max(row.run.peakRssMb, previous?.run.peakRssMb ?? 0) } };
    }
  }
  return best.filter((row) => row !== undefined);
}

/** `kubectl-backup create NAME SCOPE... -o json` to a file:// location in `work`: the items it backed up. */
export async function backupCreate(executable: string, target: BenchTarget, work: string, name: string, scope: string[]): Promise<ContenderRow> {
  const storage = path.join(work, 'storage');
  const run = await measure(executable, ['create', name, '--storage', `file://${storage}`, ...scope, '-o', 'json'], { env: target.env });
  if (run.code !== 0) throw new Error(`kubectl-backup failed (${run.code}): ${run.stderr}`);
  const record = JSON.parse(run.stdout) as { status: { progress: { itemsBackedUp: number } } };
  const listingSeconds = logSpan(run.stderr, 'backup plan ready', 'items collected');
  return { tool: 'kubectl-backup create', items: record.status.progress.itemsBackedUp, run, ...(listingSeconds !== undefined ? { listingSeconds } : {}) };
}

/** `kubectl get configmaps SCOPE... -o json > file` in `work`: the items of the file, which is removed. */
export async function kubectlGetConfigMaps(target: BenchTarget, work: string, scope: string[], tool: string): Promise<ContenderRow> {
  const file = path.join(work, 'kubectl.json');
  const run = await measure('kubectl', ['get', 'configmaps', ...scope, '-o', 'json'], { stdoutFile: file, env: target.env });
  if (run.code !== 0) throw new Error(`kubectl get failed: ${run.stderr}`);
  const items = (JSON.parse(fs.readFileSync(file, 'utf8')) as { items: unknown[] }).items.length;
  fs.rmSync(file);
  return { tool, items, run };
}
