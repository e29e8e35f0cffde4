import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess, type RunResult } from './run-process.js';

/**
 * Runs the real kubectl against a kubeconfig, with a discovery cache of its own so that
 * runs against servers on reused ports never read each other's cache.
 */
export class Kubectl {
  private readonly env: NodeJS.ProcessEnv;

  /** `env` goes over this process's environment; a KUBECACHEDIR in it is the cache used instead. */
  constructor(kubeconfigPath: string, env: NodeJS.ProcessEnv = {}) {
    this.env = { ...process.env, ...env, KUBECONFIG: kubeconfigPath, KUBECACHEDIR: env.KUBECACHEDIR ?? mkdtempSync(join(tmpdir(), 'kubectl-cache-')) };
  }

  run(args: string[], input = '', timeoutMs = 30_000): Promise<RunResult> {
    return runProcess('kubectl', args, { env: this.env, input, timeoutMs });
  }

  /** Runs kubectl and fails with its stderr unless it exits 0; returns stdout. */
  async ok(args: string[], input = ''): Promise<string> {
    const result = await this.run(args, input);
    if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
    return result.stdout;
  }

  async json<T>(args: string[]): Promise<T> {
    return JSON.parse(await this.ok([...args, '-o', 'json'])) as T;
  }
}

/** Polls until `check` holds, or fails after `timeoutMs`. */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
