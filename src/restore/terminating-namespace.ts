import { formatGoDuration } from '../cli/go-duration.js';
import type { KubeClient } from '../kube/client.js';
import { waitWhileBeingDeleted, type DeletionWaitOptions } from './deletion-wait.js';

/** As Velero's default `--terminating-resource-timeout`. */
export const defaultNamespaceTerminatingTimeoutMs = 10 * 60_000;

/** Where a namespace stands once no deletion is in the way, or why it still is. */
export type NamespaceState = { readonly present: boolean } | { readonly problem: string };

/**
 * A namespace being deleted refuses new content (403 NamespaceTerminating) until it is gone;
 * a restore run right after `kubectl delete namespace --wait=false`, or while finalizers hold
 * the namespace, would fail every item in it and need a second run. Waits until the namespace
 * is gone (or was never terminating); without permission to read namespaces it is taken as
 * present: the items' creates will tell.
 */
export async function waitUntilNotTerminating(client: KubeClient, name: string, options: DeletionWaitOptions): Promise<NamespaceState> {
  const state = await waitWhileBeingDeleted(client, `/api/v1/namespaces/${encodeURIComponent(name)}`, options);
  return state ?? { problem: `namespace ${name} is still terminating after ${formatGoDuration(options.timeoutMs)}: its items cannot be created` };
}
