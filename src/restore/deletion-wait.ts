import { isForbidden } from '../kube/api-error.js';
import { getIfExists } from '../kube/get-if-exists.js';
import type { KubeClient } from '../kube/client.js';
import { isBeingDeleted, type KubeObject } from '../kube/types.js';
import { pollUntil, type PollOptions } from './poll-until.js';

export interface DeletionWaitOptions extends PollOptions {
  /** Told once, when the object is found being deleted. */
  onWait?: () => void;
}

/**
 * Waits while the object at `path` is being deleted (finalizers hold it): until it is gone, or
 * there and not being deleted (never was, or made again). Polls, as for CRDs. Without
 * permission to read it, it is taken as present: what is done with it next will tell.
 * @returns whether it is there once no deletion is in the way; undefined when one still is after timeoutMs
 */
export async function waitWhileBeingDeleted(client: KubeClient, path: string, options: DeletionWaitOptions): Promise<{ present: boolean } | undefined> {
  let told = false;
  return pollUntil(async () => {
    let object: KubeObject | undefined;
    try {
      object = await getIfExists<KubeObject>(client, path);
    } catch (err) {
      if (isForbidden(err)) return { present: true };
      throw err;
    }
    if (!object || !isBeingDeleted(object)) return { present: object !== undefined };
    if (!told) {
      told = true;
      options.onWait?.();
    }
    return undefined;
  }, options);
}
