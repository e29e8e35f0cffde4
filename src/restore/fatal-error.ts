import { InterruptedError } from '../errors.js';

/** Errors after which nothing else can succeed (the server gone, the run interrupted): the restore stops instead of failing every item. */
export function isFatal(err: unknown): boolean {
  return err instanceof InterruptedError || (err as { unreachable?: boolean } | null)?.unreachable === true;
}
