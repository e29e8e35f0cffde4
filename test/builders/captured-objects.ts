import { Discovery, qualifiedName, resourcePath } from '../../src/kube/discovery.js';
import type { KubeClient } from '../../src/kube/client.js';
import type { KubeList } from '../../src/kube/types.js';
import type { ArchiveObject } from './restore-archive.js';

/**
 * Reads the objects of some namespaces (and the cluster-scoped objects named) from a cluster
 * the way a backup stores them: as served, managedFields dropped.
 */
export async function captureObjects(client: KubeClient, namespaces: string[], clusterScoped: { resource: string; names: string[] }[] = []): Promise<ArchiveObject[]> {
  const discovery = await Discovery.load(client);
  const out: ArchiveObject[] = [];
  for (const res of discovery.backupCandidates()) {
    const resource = qualifiedName(res);
    if (res.namespaced) {
      for (const ns of namespaces) {
        const list = await client.json<KubeList>({ method: 'GET', path: resourcePath(res, ns) });
        for (const object of list.items) {
          delete object.metadata.managedFields;
          out.push({ resource, object: { apiVersion: res.groupVersion, kind: res.kind, ...object } });
        }
      }
    } else {
      const wanted = new Set([...(resource === 'namespaces' ? namespaces : []), ...(clusterScoped.find((c) => c.resource === resource)?.names ?? [])]);
      if (wanted.size === 0) continue;
      const list = await client.json<KubeList>({ method: 'GET', path: resourcePath(res) });
      for (const object of list.items) {
        if (!wanted.has(object.metadata.name ?? '')) continue;
        delete object.metadata.managedFields;
        out.push({ resource, object: { apiVersion: res.groupVersion, kind: res.kind, ...object } });
      }
    }
  }
  return out;
}
