import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { componentLabel, groupVersion, installNamespaceLabel, managedByLabel, managedByValue, ownResourcePath, ownResources } from './api-group.js';
import { installManifests } from './manifests.js';
import { objectPath, objectRef } from './object-path.js';
import { getIfExists } from '../kube/get-if-exists.js';

export interface RemovedObject {
  ref: string;
  outcome: 'deleted' | 'not found' | 'kept';
  reason?: string;
}

const managedSelector = `${managedByLabel}=${managedByValue}`;

/**
 * Removes what install applied, the schedules' CronJobs and the credential Secrets that
 * `location create --credentials-file` made. Never touches storage: backups stay where they are.
 * The CRDs are shared by every tool namespace of the cluster and stay while another install uses
 * them; the namespace goes only if install created it.
 */
export async function uninstall(client: KubeClient, namespace: string): Promise<RemovedObject[]> {
  const removed: RemovedObject[] = [];
  const remove = async (obj: KubeObject): Promise<void> => {
    removed.push({ ref: objectRef(obj), outcome: (await deleteObject(client, obj)) ? 'deleted' : 'not found' });
  };

  for (const kind of [{ apiVersion: 'batch/v1', kind: 'CronJob' }, { apiVersion: 'v1', kind: 'Secret' }]) {
    const probe: KubeObject = { ...kind, metadata: { namespace } };
    const list = await client.json<KubeList>({ method: 'GET', path: objectPath(probe), query: { labelSelector: managedSelector } });
    for (const item of list.items) await remove({ ...kind, metadata: { ...item.metadata, namespace } });
  }

  const manifests = installManifests({ namespace }).reverse();
  const others = await otherInstalls(client, namespace);
  // Deleting the CRDs deletes every Backup, Restore and location object; while they stay for
  // another namespace, this namespace's objects are deleted one by one, so that uninstall leaves
  // the same in either case (and no location whose credentials Secret is gone).
  if (others.length > 0) {
    for (const { plural, kind } of Object.values(ownResources)) {
      const list = await client.json<KubeList>({ method: 'GET', path: ownResourcePath(plural, namespace) });
      for (const item of list.items) await remove({ apiVersion: groupVersion, kind, metadata: { name: item.metadata.name, namespace } });
    }
  }
  for (const obj of manifests) {
    if (obj.kind === 'CustomResourceDefinition' && others.length > 0) {
      removed.push({ ref: objectRef(obj), outcome: 'kept', reason: `still used by kubectl-backup in namespace ${others.join(', ')}` });
    } else if (obj.kind === 'Namespace') {
      const ns = await getObject(client, obj);
      if (!ns) removed.push({ ref: objectRef(obj), outcome: 'not found' });
      else if (ns.metadata.labels?.[managedByLabel] !== managedByValue) {
        removed.push({ ref: objectRef(obj), outcome: 'kept', reason: 'it was not created by kubectl backup install' });
      } else await remove(obj);
    } else await remove(obj);
  }
  return removed;
}

/** Tool namespaces of other installs, known by their runner ClusterRoleBindings. */
async function otherInstalls(client: KubeClient, namespace: string): Promise<string[]> {
  const list = await client.json<KubeList>({
    method: 'GET',
    path: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
    query: { labelSelector: `${managedSelector},${componentLabel}=runner` },
  });
  const namespaces = list.items.map((b) => b.metadata.labels?.[installNamespaceLabel]).filter((ns): ns is string => !!ns && ns !== namespace);
  return [...new Set(namespaces)].sort();
}

function getObject(client: KubeClient, obj: KubeObject): Promise<KubeObject | undefined> {
  return getIfExists<KubeObject>(client, objectPath(obj, true));
}

/** Background propagation: dependents (Jobs of a CronJob) go too. */
async function deleteObject(client: KubeClient, obj: KubeObject): Promise<boolean> {
  try {
    await client.json({ method: 'DELETE', path: objectPath(obj, true), body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
