import { InterruptedError } from '../errors.js';
import { isUnreachable } from '../kube/unreachable.js';

/** Errors after which nothing else can succeed (the server gone, the run interrupted): the restore stops instead of failing every item. */
export function isFatal(err: unknown): boolean {
  return err instanceof InterruptedError || isUnreachable(err);
}

/** What a read gives, or undefined when it fails; a fatal error propagates. */
export async function readOrUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isFatal(err)) throw err;
    return undefined;
  }
}
