import type { EventEmitter } from 'node:events';

/**
 * A mocha root-hook plugin (registered in .mocharc) that fails the run when a promise
 * rejection is left unhandled or an exception is uncaught. Mocha's own listener takes every
 * unhandled rejection and re-emits it to nobody, so without this such a bug passes silently;
 * an uncaught exception it pins on whichever test happens to be running, or drops when that
 * test has already failed.
 *
 * A test that listens for these events itself (to assert that none happen, or to catch one
 * it triggers on purpose) handles them: while a listener other than this plugin's and the
 * ones present when the run began is registered, nothing is recorded.
 */

type Kind = 'unhandledRejection' | 'uncaughtException';
const kinds: Kind[] = ['unhandledRejection', 'uncaughtException'];

interface Recorded {
  kind: Kind;
  when: string;
  reason: unknown;
}

/** process, as the plain emitter whose listeners are looked at whatever the event. */
const emitter: EventEmitter = process;
const recorded: Recorded[] = [];
/** Mocha re-emits each rejection it takes: the same promise is seen twice. */
const seen = new WeakSet<object>();
/** The listeners of the harness (mocha's), present before any test ran. */
const harness = new Map<Kind, Set<unknown>>();
let running: Mocha.Test | undefined;
let finished: Mocha.Test | undefined;

function where(): string {
  if (running) return `during ${describeTest(running)}`;
  if (finished) return `after ${describeTest(finished)} (in a hook or between tests)`;
  return 'before the first test';
}

function describeTest(test: Mocha.Test): string {
  return `"${test.fullTitle()}"${test.file ? ` (${test.file})` : ''}`;
}

/** Whether a test has its own listener for this event, and so handles it. */
function handledByTest(kind: Kind): boolean {
  const known = harness.get(kind);
  return emitter.listeners(kind).some((listener) => listener !== listeners[kind] && !known?.has(listener));
}

const listeners: Record<Kind, (reason: unknown, promise?: unknown) => void> = {
  unhandledRejection: (reason, promise) => {
    if (typeof promise === 'object' && promise !== null) {
      if (seen.has(promise)) return;
      seen.add(promise);
    }
    if (!handledByTest('unhandledRejection')) recorded.push({ kind: 'unhandledRejection', when: where(), reason });
  },
  uncaughtException: (error) => {
    if (!handledByTest('uncaughtException')) recorded.push({ kind: 'uncaughtException', when: where(), reason: error });
  },
};
for (const kind of kinds) process.on(kind, listeners[kind]);

function describeReason(reason: unknown): string {
  if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
  try {
    return `(not an Error) ${JSON.stringify(reason)}`;
  } catch {
    return `(not an Error) ${String(reason)}`;
  }
}

/** Takes what was recorded so far as one error, or undefined when nothing was. */
function takeRecorded(): Error | undefined {
  if (recorded.length === 0) return undefined;
  const lines = recorded.splice(0).map((r, i) => `${i + 1}. ${r.kind} ${r.when}:\n${describeReason(r.reason).replace(/^/gm, '   ')}`);
  return new Error(`${lines.length} unhandled error${lines.length === 1 ? '' : 's'} during the run:\n${lines.join('\n')}`);
}

export const mochaHooks: Mocha.RootHookObject = {
  beforeAll() {
    for (const kind of kinds) harness.set(kind, new Set(emitter.listeners(kind).filter((listener) => listener !== listeners[kind])));
  },
  beforeEach(this: Mocha.Context) {
    running = this.currentTest;
  },
  afterEach() {
    finished = running;
    running = undefined;
  },
  // Named: mocha titles the hook after its function, and this title heads the failure.
  afterAll: async function unhandledErrorsDuringTheRun() {
    // A rejection of the last test's promises is only reported once the current macrotask ends.
    await new Promise((resolve) => setImmediate(resolve));
    const error = takeRecorded();
    if (error) throw error;
  },
};

/** What happens after the root after-all hook (a server closing late) still fails the run. */
export function mochaGlobalTeardown(): void {
  const error = takeRecorded();
  if (error) throw error;
}
