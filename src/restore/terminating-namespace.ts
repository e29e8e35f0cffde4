import { formatGoDuration } from '../cli/go-duration.js';
import { isForbidden } from '../kube/api-error.js';
import { getIfExists } from '../kube/get-if-exists.js';
import type { KubeClient } from '../kube/client.js';
import { pollUntil, type PollOptions } from './poll-until.js';
import { isBeingDeleted, type KubeObject } from '../kube/types.js';

/** As Velero's default `--terminating-resource-timeout`. */
export const defaultNamespaceTerminatingTimeoutMs = 10 * 60_000;

export interface TerminationWaitOptions extends PollOptions {
  /** Told once, when the namespace is found terminating. */
  onWait?: () => void;
}

/** Where a namespace stands once no deletion is in the way, or why it still is. */
export type NamespaceState = { readonly present: boolean } | { readonly problem: string };

/**
 * A namespace being deleted refuses new content (403 NamespaceTerminating) until it is gone;
 * a restore run right after `kubectl delete namespace --wait=false`, or while finalizers hold
 * the namespace, would fail every item in it and need a second run. Waits until the namespace
 * is gone (or was never terminating). Polls, as for CRDs. Without
 * permission to read namespaces it is taken as present: the items' creates will tell.
 */
export async function waitUntilNotTerminating(client: KubeClient, name: string, options: TerminationWaitOptions): Promise<NamespaceState> {
  const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
  let told = false;
  const state = await pollUntil<NamespaceState>(async () => {
    let namespace: KubeObject | undefined;
    try {
      namespace = await getIfExists<KubeObject>(client, path);
    } catch (err) {
      if (isForbidden(err)) return { present: true };
      throw err;
    }
    if (!namespace || !isBeingDeleted(namespace)) return { present: namespace !== undefined };
    if (!told) {
      told = true;
      options.onWait?.();
    }
    return undefined;
  }, options);
  return state ?? { problem: `namespace ${name} is still terminating after ${formatGoDuration(options.timeoutMs)}: its items cannot be created` };
}
