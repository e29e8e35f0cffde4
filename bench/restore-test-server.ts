import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import YAML from 'yaml';

const root = path.resolve(import.meta.dirname, '..');

export interface ServerProcess {
  url: string;
  kubeconfig: string;
  token: string;
  process: ChildProcess;
  /** Creates objects in-process through the control API (no per-object HTTP request). */
  seed(objects: unknown[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The API test server in a process of its own, so that its CPU is not the benchmark's: what
 * is measured is the client side against the same server.
 */
export async function startServerProcess(dir: string): Promise<ServerProcess> {
  const kubeconfig = path.join(dir, 'kubeconfig');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test', 'apiserver', 'main.ts'), '--kubeconfig', kubeconfig], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const ready = /^ready (\S+)$/m.exec(out);
      if (ready) resolve(ready[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the API test server exited (${code}) before it was ready`)));
  });
  const config = YAML.parse(await import('node:fs').then((fs) => fs.readFileSync(kubeconfig, 'utf8'))) as { users: { user: { token: string } }[] };
  const token = config.users[0]!.user.token;
  return {
    url,
    kubeconfig,
    token,
    process: child,
    async seed(objects) {
      const res = await fetch(`${url}/_test/seed`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(objects) });
      if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    },
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
