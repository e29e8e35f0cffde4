import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { isAlreadyExists, isConflict } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { isRecord, type KubeObject } from '../kube/types.js';
import { appliedHashAnnotation } from './api-group.js';
import { objectPath } from './object-path.js';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/**
 * True when every field of `desired` is in `actual` with the same value. The API server adds
 * defaults (a CRD's conversion strategy, a namespace's finalizers) and drops empty maps, so
 * equality would call every re-run a change.
 */
export function isSubset(desired: unknown, actual: unknown): boolean {
  // Go's omitempty: an empty map or list comes back as no field at all.
  if (actual === undefined && (Array.isArray(desired) || isRecord(desired)) && Object.keys(desired).length === 0) return true;
  if (Array.isArray(desired)) {
    return Array.isArray(actual) && desired.length === actual.length && desired.every((d, i) => isSubset(d, actual[i]));
  }
  if (isRecord(desired)) {
    return isRecord(actual) && Object.entries(desired).every(([k, v]) => isSubset(v, actual[k]));
  }
  return desired === actual;
}

/**
 * The sha256 of a manifest. Comparing fields alone cannot see what a manifest no longer has (a
 * key dropped from a rule, from a ConfigMap's data, from a schema): the hash of the manifest an
 * object was last brought to can.
 */
export function manifestHash(manifest: KubeObject): string {
  return createHash('sha256').update(JSON.stringify(manifest)).digest('hex');
}

/**
 * Creates the object, or brings an existing one to the desired state (labels and annotations
 * added to the ones it has, everything else replaced), as `kubectl apply` would: it is left
 * alone when it was last brought to this very manifest (its hash, kept in an annotation) and
 * still has every field the manifest sets; fields the API server or others added do not count.
 * An existing Namespace is left as it is: it may hold more than ours.
 */
export async function applyObject(client: KubeClient, manifest: KubeObject): Promise<ApplyOutcome> {
  const hash = manifestHash(manifest);
  const desired: KubeObject = { ...manifest, metadata: { ...manifest.metadata, annotations: { ...manifest.metadata.annotations, [appliedHashAnnotation]: hash } } };
  try {
    await client.json({ method: 'POST', path: objectPath(desired), body: desired });
    return 'created';
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  if (desired.kind === 'Namespace') return 'unchanged';
  for (let attempt = 1; ; attempt++) {
    const existing = await client.json<KubeObject>({ method: 'GET', path: objectPath(desired, true) });
    const { metadata: wanted, ...rest } = desired;
    const comparable = { ...rest, metadata: { labels: wanted.labels ?? {}, annotations: wanted.annotations ?? {} } };
    if (isSubset(comparable, existing)) return 'unchanged';
    const body: KubeObject = {
      ...rest,
      metadata: {
        ...existing.metadata,
        labels: { ...existing.metadata.labels, ...wanted.labels },
        annotations: { ...existing.metadata.annotations, ...wanted.annotations },
      },
    };
    try {
      await client.json({ method: 'PUT', path: objectPath(desired, true), body });
      return 'configured';
    } catch (err) {
      // Someone changed it between our read and write: read again.
      if (!isConflict(err) || attempt >= 5) throw err;
    }
  }
}

export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
}

interface CrdStatus {
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string }[] };
}

/** Waits until each CRD's Established condition is True: before that, its resources are not served. */
export async function waitForEstablished(client: KubeClient, crdNames: readonly string[], options: WaitOptions = {}): Promise<void> {
  const now = options.now ?? Date.now;
  const pause = options.sleep ?? ((ms: number) => sleep(ms));
  const deadline = now() + (options.timeoutMs ?? 60_000);
  const pending = new Set(crdNames);
  for (;;) {
    for (const name of [...pending]) {
      const crd = await client.json<CrdStatus>({ method: 'GET', path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${encodeURIComponent(name)}` });
      const conditions = crd.status?.conditions ?? [];
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) pending.delete(name);
      const refused = conditions.find((c) => c.type === 'NamesAccepted' && c.status === 'False');
      if (refused) throw new Error(`CustomResourceDefinition ${name} was not accepted: ${refused.message ?? refused.reason ?? 'names conflict'}`);
    }
    if (pending.size === 0) return;
    if (now() >= deadline) throw new Error(`CustomResourceDefinitions not established in time: ${[...pending].join(', ')}`);
    await pause(options.intervalMs ?? 250);
  }
}
