import type { KubeObject } from '../src/kube/types.js';

/**
 * Where a benchmark puts its objects and points its contenders: the API test server started for
 * the run (test-server-target.ts), or the cluster of the kubeconfig's current context
 * (kubeconfig-target.ts, `--cluster`). The suites see only this.
 */
export interface BenchTarget {
  /** For the output: which server the run talks to; never credentials. */
  readonly description: string;
  /** The environment of every contender process: KUBECONFIG as the target needs it. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The label selector every contender lists by where the cluster holds objects of others
   * (bench-names.ts); undefined on the test server, which holds the run's alone, so that its
   * figures stay those of a plain LIST of everything.
   */
  readonly selector: string | undefined;
  /** The server is a process started cold for the run: its JIT wants a warm-up before measuring. */
  readonly startedCold: boolean;
  /** Creates the objects (namespaces first, as given); resolves to how many were created. */
  create(objects: Iterable<KubeObject>): Promise<number>;
  /** Fault injection (test/apiserver/faults.ts, FaultSpec as JSON): the test server's alone. */
  readonly addFaults?: (specs: object[]) => Promise<void>;
  /** Removes what the run created; later calls wait for the first. */
  close(): Promise<void>;
}

/** `close` made safe to call more than once (the end of the run and a signal may both call it). */
export function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () => (closing ??= close());
}

/** `-l SELECTOR` where the target has a selector, for the contenders that list. */
export function selectorArgs(target: BenchTarget): string[] {
  return target.selector === undefined ? [] : ['-l', target.selector];
}
