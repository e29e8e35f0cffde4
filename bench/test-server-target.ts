import { once, type BenchTarget } from './bench-target.js';
import { startClusterProcess } from './test-cluster-process.js';

/**
 * The API test server, started for the run in a process of its own: objects go in through its
 * test-control seed endpoint (far faster than creates), faults can be injected, and stopping it
 * removes everything.
 */
export async function testServerTarget(workDir: string): Promise<BenchTarget> {
  const server = await startClusterProcess(workDir);
  return {
    description: `the API test server (${server.url}), in a process of its own`,
    env: { ...process.env, KUBECONFIG: server.kubeconfig },
    selector: undefined,
    startedCold: true,
    create: (objects) => server.seed(objects),
    addFaults: (specs) => server.addFaults(specs),
    close: once(() => server.stop()),
  };
}
