import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { repoRoot } from './built-executable.js';

export interface ClusterProcess {
  url: string;
  token: string;
  kubeconfig: string;
  pid: number;
  /** Creates objects through the server's test-control API, in batches. */
  seed(objects: AsyncIterable<object> | Iterable<object>): Promise<number>;
  /** Injects faults (test/apiserver/faults.ts, FaultSpec as JSON) through the test-control API. */
  addFaults(specs: object[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The Kubernetes API test server in a process of its own (its standalone entry), so that its
 * CPU and memory are not counted against the tools measured.
 */
export async function startClusterProcess(workDir: string): Promise<ClusterProcess> {
  const kubeconfig = path.join(workDir, 'kubeconfig');
  const child: ChildProcess = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(repoRoot, 'test', 'apiserver', 'main.ts'), '--kubeconfig', kubeconfig], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => {
      buffered += d;
      const ready = /^ready (\S+)$/m.exec(buffered);
      if (ready) resolve(ready[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the test API server exited (${code}) before it was ready`)));
  });
  const config = YAML.parse(fs.readFileSync(kubeconfig, 'utf8')) as { users: { user: { token: string } }[] };
  const token = config.users[0]!.user.token;
  const post = async (items: object[]) => {
    const res = await fetch(`${url}/_test/seed`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(items) });
    if (!res.ok) throw new Error(`seeding failed: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { created: number }).created;
  };
  return {
    url,
    token,
    kubeconfig,
    pid: child.pid!,
    seed: async (objects) => {
      let created = 0;
      let batch: object[] = [];
      for await (const object of objects) {
        batch.push(object);
        if (batch.length === 1000) {
          created += await post(batch);
          batch = [];
        }
      }
      if (batch.length > 0) created += await post(batch);
      return created;
    },
    addFaults: async (specs) => {
      const res = await fetch(`${url}/_test/faults`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(specs) });
      if (!res.ok) throw new Error(`adding faults failed: ${res.status} ${await res.text()}`);
    },
    stop: () =>
      new Promise((resolve) => {
        // A Ctrl-C reaches the server too (same process group): it may be gone already.
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
