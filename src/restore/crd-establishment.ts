import { setTimeout as sleep } from 'node:timers/promises';
import { formatGoDuration } from '../cli/go-duration.js';
import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { isRecord } from '../kube/types.js';

export const defaultCrdEstablishTimeoutMs = 120_000;

export interface CrdWaitOptions {
  timeoutMs: number;
  pollIntervalMs: number;
}

function crdPath(name: string): string {
  return `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}`;
}

function isEstablished(crd: unknown): boolean {
  const conditions = isRecord(crd) && isRecord(crd.status) && Array.isArray(crd.status.conditions) ? crd.status.conditions : [];
  return conditions.some((c) => isRecord(c) && c.type === 'Established' && c.status === 'True');
}

/**
 * Waits until the CRD is Established, so that its custom resources can be created. Polls: a
 * few GETs per CRD cost less than a watch and need no watch permission.
 * @returns undefined when established, else why not
 */
export async function waitForEstablished(client: KubeClient, name: string, options: CrdWaitOptions): Promise<string | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      if (isEstablished(await client.json<unknown>({ method: 'GET', path: crdPath(name) }))) return undefined;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    const left = deadline - Date.now();
    if (left <= 0) return `CustomResourceDefinition ${name} is not Established after ${formatGoDuration(options.timeoutMs)}`;
    await sleep(Math.min(options.pollIntervalMs, left));
  }
}
