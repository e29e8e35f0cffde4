import type { ApiResource } from '../../src/kube/discovery.js';

/** A discovery entry as an API server serves it: core v1, namespaced, every verb, unless said otherwise. */
export function apiResource(partial: Partial<ApiResource> & Pick<ApiResource, 'resource' | 'kind'>): ApiResource {
  const group = partial.group ?? '';
  const version = partial.version ?? 'v1';
  return {
    group,
    version,
    groupVersion: group ? `${group}/${version}` : version,
    singular: partial.kind.toLowerCase(),
    shortNames: [],
    namespaced: true,
    verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
    categories: [],
    preferred: true,
    ...partial,
  };
}
