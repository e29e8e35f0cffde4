import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');
export const executablePath = path.join(repoRoot, 'dist', 'kubectl-backup');

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

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
  return run('kubectl', args, options);
}

/** Runs `kubectl backup ARGS` through the real kubectl's plugin dispatch. */
export function kubectlBackup(args: string[], options: RunOptions = {}): Promise<RunResult> {
  requireExecutable();
  return run('kubectl', ['backup', ...args], options);
}

function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: `${path.dirname(executablePath)}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'], ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}
