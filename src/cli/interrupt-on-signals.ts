import { ExitCode } from '../errors.js';

export interface Interrupt {
  /** Aborted, with the reason made for the signal, on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** Stops listening: the run is over, and signals get Node's default again. */
  dispose(): void;
}

/**
 * Turns the first SIGINT or SIGTERM into an abort, so that the run can end as it should (mark
 * its object Failed, leave nothing half-written) rather than be cut off by Node's default. The
 * listeners go at the first signal: a second one, of either kind, ends the process at once.
 * @param graceMs when given, the process exits with code 1 this long after the first signal,
 *   should the run not have ended by then (a cluster that does not answer)
 */
export function interruptOnSignals(reason: (signal: NodeJS.Signals) => Error, graceMs?: number): Interrupt {
  const controller = new AbortController();
  const dispose = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    dispose();
    controller.abort(reason(signal));
    if (graceMs !== undefined) setTimeout(() => process.exit(ExitCode.Failed), graceMs).unref();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return { signal: controller.signal, dispose };
}
