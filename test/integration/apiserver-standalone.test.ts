import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kubectl } from '../helpers/kubectl.js';

const repo = resolve(import.meta.dirname, '..', '..');

/** Starts `npm run test-cluster`'s entry point and resolves with the URL of its "ready" line. */
function startStandalone(args: string[]): { child: ChildProcess; ready: Promise<string>; output: () => string } {
  const child = spawn(join(repo, 'node_modules', '.bin', 'tsx'), [join(repo, 'test', 'apiserver', 'main.ts'), ...args], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const ready = new Promise<string>((resolveReady, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /^ready (\S+)$/m.exec(out);
      if (match) resolveReady(match[1] as string);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('exit', (code) => reject(new Error(`exited ${code} before ready: ${out}`)));
  });
  return { child, ready, output: () => out };
}

describe('test apiserver: standalone server (npm run test-cluster)', function () {
  this.timeout(30_000);
  const dir = mkdtempSync(join(tmpdir(), 'standalone-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints "ready URL", writes the kubeconfig and port file, seeds, and stops on SIGTERM', async () => {
    const kubeconfig = join(dir, 'nested', 'kubeconfig');
    const portFile = join(dir, 'port');
    const { child, ready, output } = startStandalone(['--kubeconfig', kubeconfig, '--port-file', portFile, '--seed', 'sample']);
    try {
      const url = await ready;
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(readFileSync(portFile, 'utf8').trim(), new URL(url).port);
      assert.match(output(), new RegExp(`export KUBECONFIG=${kubeconfig.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.ok(existsSync(kubeconfig));
      const kubectl = new Kubectl(kubeconfig);
      assert.match(await kubectl.ok(['get', 'deployments', '-n', 'demo']), /web/);
      const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
