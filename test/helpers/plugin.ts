import fs from 'node:fs';
import path from 'node:path';
import { runProcess, type RunResult } from './run-process.js';

export type { RunResult };

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const executablePath = path.join(repoRoot, 'dist', 'kubectl-backup');

export interface RunOptions {
  kubeconfig?: string;
  env?: NodeJS.ProcessEnv;
  input?: string;
  timeoutMs?: number;
  /** Working directory of the command (default: the test process's). */
  cwd?: string;
}

/** The built executable must exist: end-to-end tests run exactly what users install. */
export function requireExecutable(): void {
  if (!fs.existsSync(executablePath)) throw new Error(`${executablePath} is missing: run npm run build (npm test does)`);
}

/** Runs `kubectl ARGS` with the built plugin first on PATH, as a user with it installed would. */
export function kubectl(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return run(args, options);
}

/** Runs `kubectl backup ARGS` through the real kubectl's plugin dispatch. */
export function kubectlBackup(args: string[], options: RunOptions = {}): Promise<RunResult> {
  requireExecutable();
  return run(['backup', ...args], options);
}

function run(args: string[], options: RunOptions): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: `${path.dirname(executablePath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  return runProcess('kubectl', args, { env, input: options.input, cwd: options.cwd, timeoutMs: options.timeoutMs ?? 60_000 });
}
