import { resourcePath, type Discovery } from '../kube/discovery.js';

/** Where items of one resource and apiVersion are created, or why they cannot be. */
export type TypeTarget = { readonly path: (namespace: string | undefined, name?: string) => string } | { readonly problem: string };

export function splitResource(resource: string): { plural: string; group: string } {
  const dot = resource.indexOf('.');
  return dot < 0 ? { plural: resource, group: '' } : { plural: resource.slice(0, dot), group: resource.slice(dot + 1) };
}

function versionOf(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * The REST collection for an archive item: its group and plural from the archive's
 * `resource.group`, its version from the item's apiVersion, checked against what the cluster
 * serves so that an unserved type fails with a message rather than a bare 404.
 */
export function typeTarget(discovery: Discovery, resource: string, apiVersion: string, namespaced: boolean): TypeTarget {
  const { plural, group } = splitResource(resource);
  const { group: itemGroup, version } = versionOf(apiVersion);
  if (itemGroup !== group) return { problem: `its apiVersion ${apiVersion} does not belong to ${resource}` };
  const served = discovery.all().filter((r) => r.group === group && r.resource === plural);
  if (served.length === 0) return { problem: `the cluster does not serve ${resource}` };
  const match = served.find((r) => r.version === version);
  if (!match) return { problem: `the cluster does not serve ${apiVersion} of ${resource} (it serves ${served.map((r) => r.groupVersion).join(', ')})` };
  if (match.namespaced !== namespaced) return { problem: `${resource} is ${match.namespaced ? 'namespaced' : 'cluster-scoped'} in the cluster but not in the backup` };
  return { path: (namespace, name) => resourcePath(match, namespace, name) };
}
