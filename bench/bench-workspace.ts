import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../src/errors.js';
import { BenchNames } from './bench-names.js';
import type { BenchTarget } from './bench-target.js';
import { installedExecutable } from './built-executable.js';
import { kubeconfigTarget } from './kubeconfig-target.js';
import { testServerTarget } from './test-server-target.js';

export interface BenchWorkspace {
  /** A temporary directory of the benchmark's own (file:// storage included), removed when it ends. */
  dir: string;
  /** The built executable, installed into `dir` (see installedExecutable). */
  executable: string;
}

export interface TargetWorkspace extends BenchWorkspace {
  /** Where the objects go, cleaned up when the benchmark ends. */
  target: BenchTarget;
  /** The names and label of this run's objects. */
  names: BenchNames;
}

/** Runs `bench` in a fresh workspace, and removes the workspace whatever happens (an exit on a signal included). */
export async function inWorkspace<T>(bench: (workspace: BenchWorkspace) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-backup-bench-'));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  process.once('exit', remove);
  try {
    return await bench({ dir, executable: installedExecutable(dir) });
  } finally {
    process.off('exit', remove);
    remove();
  }
}

/**
 * The same, with a target: the API test server started for the run, or with `cluster` the
 * cluster of KUBECONFIG. What the run created is removed when it ends, fails or is stopped by
 * SIGINT or SIGTERM.
 */
export function withTarget<T>(cluster: boolean, bench: (workspace: TargetWorkspace) => Promise<T>): Promise<T> {
  return inWorkspace(async (workspace) => {
    const names = BenchNames.random();
    const target = cluster ? await kubeconfigTarget(names) : await testServerTarget(workspace.dir);
    console.log(`target: ${target.description}; this run's objects: ${names.prefix}*, label ${names.selector}`);
    const close = () =>
      target.close().catch((err: unknown) => {
        console.error(`clean-up failed: ${errorMessage(err)}; look for namespaces ${names.prefix}*`);
        process.exitCode = 1;
      });
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      // A Ctrl-C reaches this process twice (from the terminal, and relayed by tsx): the
      // clean-up runs once, and no second signal cuts it short.
      if (stopping) return;
      stopping = true;
      console.error(`${signal}: removing what the benchmark created`);
      void close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      return await bench({ ...workspace, target, names });
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await close();
    }
  });
}
