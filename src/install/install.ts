import type { KubeClient } from '../kube/client.js';
import type { KubeObject } from '../kube/types.js';
import { applyObject, waitForEstablished, type ApplyOutcome, type WaitOptions } from './apply.js';
import { installManifests, type InstallOptions } from './manifests.js';
import { objectRef } from './object-path.js';

export interface AppliedObject {
  ref: string;
  outcome: ApplyOutcome;
}

/**
 * Applies every manifest in order and waits for the CRDs to be served. Running it again
 * changes nothing that is already right: what it reports is what it did.
 */
export async function install(client: KubeClient, options: InstallOptions, wait: WaitOptions = {}): Promise<AppliedObject[]> {
  const manifests = installManifests(options);
  const applied: AppliedObject[] = [];
  for (const obj of manifests) {
    applied.push({ ref: objectRef(obj), outcome: await applyObject(client, obj) });
  }
  await waitForEstablished(client, crdNamesOf(manifests), wait);
  return applied;
}

function crdNamesOf(manifests: KubeObject[]): string[] {
  return manifests.filter((m) => m.kind === 'CustomResourceDefinition').map((m) => m.metadata.name ?? '');
}
