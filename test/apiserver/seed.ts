import type { Cluster } from './cluster.js';
import { CRD_STORAGE } from './crd-controller.js';
import type { KubeObject } from './object-meta.js';

export interface SeedOptions {
  /** Create the namespaces objects refer to when they do not exist (default true). */
  createNamespaces?: boolean;
  /** Field manager recorded in managedFields (default 'test-seed'). */
  manager?: string;
}

/**
 * Creates objects in-process, with every rule of a real create (validation, defaults,
 * metadata, controllers) but without HTTP. CustomResourceDefinitions are given a turn to
 * become Established before the next object, so a CRD and its custom resources can be seeded
 * together.
 */
export async function seedObjects(cluster: Cluster, objects: readonly KubeObject[], options: SeedOptions = {}): Promise<number> {
  const manager = options.manager ?? 'test-seed';
  const ctx = { manager, dryRun: false };
  let created = 0;
  for (const input of objects) {
    const r = cluster.registry.byKind(input.apiVersion ?? '', input.kind ?? '');
    if (!r) throw new Error(`seed: the server does not serve ${input.apiVersion} ${input.kind}`);
    const obj = structuredClone(input);
    obj.metadata ??= {};
    const namespace = r.def.namespaced ? obj.metadata.namespace ?? 'default' : '';
    if (namespace && options.createNamespaces !== false && !cluster.exists('/namespaces', '', namespace)) {
      cluster.createInternal({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, manager);
    }
    cluster.create(r, namespace, obj, ctx);
    created++;
    if (r.def.storage === CRD_STORAGE) await new Promise((resolve) => setImmediate(resolve));
  }
  return created;
}
