import { BadInputError } from '../errors.js';
import { isNotFound } from '../kube/api-error.js';
import { existsIfReadable } from '../kube/get-if-exists.js';
import type { KubeClient } from '../kube/client.js';
import { groupVersion, ownResources, runnerServiceAccount, type OwnResource } from './api-group.js';

/**
 * Whether our resources are served. Asks discovery, which every authenticated user may read,
 * so the runner and users without CRD permissions get the same answer.
 */
export async function servedOwnResources(client: KubeClient): Promise<Set<string>> {
  try {
    const list = await client.json<{ resources?: { name: string }[] }>({ method: 'GET', path: `/apis/${groupVersion}` });
    return new Set((list.resources ?? []).map((r) => r.name));
  } catch (err) {
    if (isNotFound(err)) return new Set();
    throw err;
  }
}

export async function ownCrdsInstalled(client: KubeClient, needed: readonly OwnResource[] = Object.keys(ownResources) as OwnResource[]): Promise<boolean> {
  const served = await servedOwnResources(client);
  return needed.every((r) => served.has(r));
}

/** Not installed is a precondition the user fixes with one command: exit 2, said before any change. */
export class NotInstalledError extends BadInputError {
  constructor(what: string) {
    super(`${what} needs the kubectl-backup CRDs, which are not installed in this cluster: run kubectl backup install`);
  }
}

/** Throws NotInstalledError unless every needed resource is served. `what` names the command: "schedule create". */
export async function requireOwnCrds(client: KubeClient, what: string, needed?: readonly OwnResource[]): Promise<void> {
  if (!(await ownCrdsInstalled(client, needed))) throw new NotInstalledError(what);
}

/**
 * Whether install ran in `namespace`, known by the runner ServiceAccount: the CRDs are
 * cluster-wide and say nothing of it. Undefined when we may not read ServiceAccounts.
 */
export function runnerInstalled(client: KubeClient, namespace: string): Promise<boolean | undefined> {
  return existsIfReadable(client, `/api/v1/namespaces/${encodeURIComponent(namespace)}/serviceaccounts/${runnerServiceAccount}`);
}
