import fs from 'node:fs';
import path from 'node:path';
import type { BenchTarget } from './bench-target.js';
import { measure, type Measurement } from './measured-process.js';

/** A contender of the listing suites (backup, large-items): its measured run and the items it read. */
export interface ContenderRow {
  tool: string;
  items: number;
  run: Measurement;
}

/** `kubectl-backup create NAME SCOPE... -o json` to a file:// location in `work`: the items it backed up. */
export async function backupCreate(executable: string, target: BenchTarget, work: string, name: string, scope: string[]): Promise<ContenderRow> {
  const storage = path.join(work, 'storage');
  const run = await measure(executable, ['create', name, '--storage', `file://${storage}`, ...scope, '-o', 'json'], { env: target.env });
  if (run.code !== 0) throw new Error(`kubectl-backup failed (${run.code}): ${run.stderr}`);
  const record = JSON.parse(run.stdout) as { status: { progress: { itemsBackedUp: number } } };
  return { tool: 'kubectl-backup create', items: record.status.progress.itemsBackedUp, run };
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
