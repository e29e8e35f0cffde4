import { formatGoDuration } from '../cli/go-duration.js';
import { getIfExists } from '../kube/get-if-exists.js';
import type { KubeClient } from '../kube/client.js';
import { pollUntil, type PollOptions } from './poll-until.js';
import { isRecord } from '../kube/types.js';

export const defaultCrdEstablishTimeoutMs = 120_000;

function crdPath(name: string): string {
  return `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`;
}

function isEstablished(crd: unknown): boolean {
  const conditions = isRecord(crd) && isRecord(crd.status) && Array.isArray(crd.status.conditions) ? crd.status.conditions : [];
  return conditions.some((c) => isRecord(c) && c.type === 'Established' && c.status === 'True');
}

/**
 * Waits until the CRD is Established, so that its custom resources can be created.
 * @returns undefined when established, else why not
 */
export async function waitForEstablished(client: KubeClient, name: string, options: PollOptions): Promise<string | undefined> {
  const established = await pollUntil(async () => {
    const crd = await getIfExists<unknown>(client, crdPath(name));
    return isEstablished(crd) ? true : undefined;
  }, options);
  return established ? undefined : `CustomResourceDefinition ${name} is not Established after ${formatGoDuration(options.timeoutMs)}`;
}
