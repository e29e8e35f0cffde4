import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { NamespaceScan } from './backup-plan.js';
import { listPages } from './collection-lister.js';
import { exclusionLabelOf } from './item-rules.js';

/**
 * The namespaces that exist (globs are matched against them), and those whose exclusion label
 * leaves them out with everything in them. Only names are kept.
 */
export async function scanNamespaces(client: KubeClient, pageSize: number, logger: Logger, signal?: AbortSignal): Promise<NamespaceScan> {
  const all: string[] = [];
  const excludedByLabel = new Set<string>();
  for await (const page of listPages(client, { path: '/api/v1/namespaces' }, { pageSize, signal, metadataOnly: true })) {
    for (const ns of page.items) {
      const name = ns.metadata?.name;
      if (!name) continue;
      all.push(name);
      const label = exclusionLabelOf(ns);
      if (label) {
        excludedByLabel.add(name);
        logger.log('info', `excluding item: it has label ${label}=true`, { resource: 'namespaces', name, note: 'everything in this namespace is left out' });
      }
    }
  }
  return { all, excludedByLabel };
}

/** Names of the CustomResourceDefinitions: a type whose `resource.group` is one is a custom resource. */
export async function listCrdNames(client: KubeClient, pageSize: number, signal?: AbortSignal): Promise<Set<string>> {
  const names = new Set<string>();
  for await (const page of listPages(client, { path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions' }, { pageSize, signal, metadataOnly: true })) {
    for (const crd of page.items) if (crd.metadata?.name) names.add(crd.metadata.name);
  }
  return names;
}
