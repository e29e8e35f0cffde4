import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants as osConstants } from 'node:os';
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

/** A `kubectl backup ARGS` still running: kubectl execs the plugin, so signals reach the plugin itself. */
export interface RunningCommand {
  readonly pid: number;
  kill(signal: NodeJS.Signals): void;
  /** Settles when the process has exited; `code` is 128 + the signal's number when a signal ended it. */
  readonly result: Promise<RunResult & { signal: NodeJS.Signals | null }>;
}

/** Starts `kubectl backup ARGS` without waiting for it, for tests that interrupt it. */
export function startKubectlBackup(args: string[], options: RunOptions = {}): RunningCommand {
  requireExecutable();
  const child = spawn('kubectl', ['backup', ...args], { env: pluginEnv(options), stdio: ['ignore', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const result = new Promise<RunResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + (signal ? osConstants.signals[signal] : 0), signal, stdout, stderr }));
  });
  return { pid: child.pid ?? 0, kill: (signal) => child.kill(signal), result };
}

function pluginEnv(options: RunOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: `${path.dirname(executablePath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  return env;
}

function run(args: string[], options: RunOptions): Promise<RunResult> {
  return runProcess('kubectl', args, { env: pluginEnv(options), input: options.input, cwd: options.cwd, timeoutMs: options.timeoutMs ?? 60_000 });
}
