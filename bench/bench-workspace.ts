import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { installedExecutable } from './built-executable.js';
import { startClusterProcess, type ClusterProcess } from './test-cluster-process.js';

export interface BenchWorkspace {
  /** A temporary directory of the benchmark's own, removed when it ends. */
  dir: string;
  /** The built executable, installed into `dir` (see installedExecutable). */
  executable: string;
}

export interface ClusterWorkspace extends BenchWorkspace {
  /** The API test server, in a process of its own, stopped when the benchmark ends. */
  cluster: ClusterProcess;
}

/** Runs `bench` in a fresh workspace, and removes the workspace whatever happens. */
export async function inWorkspace<T>(bench: (workspace: BenchWorkspace) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-backup-bench-'));
  try {
    return await bench({ dir, executable: installedExecutable(dir) });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The same, with the API test server running. */
export function withTestCluster<T>(bench: (workspace: ClusterWorkspace) => Promise<T>): Promise<T> {
  return inWorkspace(async (workspace) => {
    const cluster = await startClusterProcess(workspace.dir);
    try {
      return await bench({ ...workspace, cluster });
    } finally {
      await cluster.stop();
    }
  });
}
