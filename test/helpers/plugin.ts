import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { constants as osConstants, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestApiServer, type TestApiServer, type TestApiServerOptions } from '../apiserver/index.js';
import { startS3Server, type S3ServerOptions, type S3TestServer } from '../s3/s3-test-server.js';
import { Kubectl } from './kubectl.js';
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

/** Fails with the command's stderr unless it exited 0. */
export async function ok(result: Promise<RunResult>): Promise<RunResult> {
  const done = await result;
  assert.equal(done.code, 0, `exit ${done.code}: ${done.stderr}`);
  return done;
}

/**
 * The environment of a user whose machine is `home`: kubectl's discovery cache and the
 * embedded default location (XDG_DATA_HOME) in it, and no AWS credentials or configuration
 * of the machine that runs the tests.
 */
function userEnv(home: string): NodeJS.ProcessEnv {
  return {
    HOME: home,
    XDG_DATA_HOME: path.join(home, 'xdg'),
    KUBECACHEDIR: path.join(home, 'kube-cache'),
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_CONFIG_FILE: path.join(home, 'none'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'none'),
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface E2eOptions {
  api?: TestApiServerOptions;
  /** Starts the S3 test server too. */
  s3?: S3ServerOptions;
}

/** The API test server and a user of it with the plugin installed, as end-to-end tests run them. */
export interface E2e {
  readonly api: TestApiServer;
  /** The user's home, a temporary directory that close() removes. */
  readonly home: string;
  /** What `userEnv(home)` gives, which every command of the user runs with. */
  readonly env: NodeJS.ProcessEnv;
  /** The directory of the embedded default location. */
  readonly defaultLocation: string;
  /** Plain kubectl, with the user's environment and kubeconfig. */
  readonly kubectl: Kubectl;
  /** `kubectl backup ARGS`, with the user's environment and kubeconfig. */
  backup(...args: string[]): Promise<RunResult>;
  /** `kubectl backup ARGS` with options of its own: `env` goes over the user's, `kubeconfig` replaces theirs. */
  run(args: string[], options: RunOptions): Promise<RunResult>;
  /** `kubectl backup ARGS` started and not waited for. */
  start(...args: string[]): RunningCommand;
  /** A directory in the user's home, and its file:// URL, for a location. */
  directory(name: string): { dir: string; url: string };
  close(): Promise<void>;
}

export function startE2e(options: E2eOptions & { s3: S3ServerOptions }): Promise<E2e & { s3: S3TestServer }>;
export function startE2e(options?: E2eOptions): Promise<E2e>;
export async function startE2e(options: E2eOptions = {}): Promise<E2e & { s3?: S3TestServer }> {
  requireExecutable();
  const [api, s3] = await Promise.all([startTestApiServer(options.api), options.s3 ? startS3Server(options.s3) : undefined]);
  const home = fs.mkdtempSync(path.join(tmpdir(), 'kubectl-backup-e2e-'));
  const env = userEnv(home);
  const withUser = (runOptions: RunOptions): RunOptions => ({ kubeconfig: api.kubeconfigPath, ...runOptions, env: { ...env, ...runOptions.env } });
  return {
    api,
    ...(s3 ? { s3 } : {}),
    home,
    env,
    defaultLocation: path.join(env.XDG_DATA_HOME!, 'kubectl-backup'),
    kubectl: new Kubectl(api.kubeconfigPath, env),
    backup: (...args) => kubectlBackup(args, withUser({})),
    run: (args, runOptions) => kubectlBackup(args, withUser(runOptions)),
    start: (...args) => startKubectlBackup(args, withUser({})),
    directory(name) {
      const dir = path.join(home, name);
      return { dir, url: pathToFileURL(dir).href };
    },
    async close() {
      await Promise.all([api.close(), s3?.close()]);
      await fs.promises.rm(home, { recursive: true, force: true });
    },
  };
}
