import { createHash } from 'node:crypto';
import type { JsonObject } from './json.js';
import { groupVersion } from './resource-def.js';
import type { ResolvedResource, ResourceRegistry } from './resource-registry.js';

function pathPrefix(group: string, version: string): string {
  return group ? `/apis/${group}/${version}` : `/api/${version}`;
}

function operation(r: ResolvedResource, action: string, withBody: boolean): JsonObject {
  const op: JsonObject = {
    operationId: `${action}${r.def.kind}`,
    parameters: [
      { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
      { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
    ],
    responses: { '200': { description: 'OK' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': { group: r.def.group, version: r.version.name, kind: r.def.kind },
  };
  if (withBody) {
    // Strategic merge patch is left out so that kubectl apply computes its patch from the
    // Go types compiled into it (this document carries no schemas).
    op.requestBody = {
      content: {
        'application/json-patch+json': { schema: { type: 'object' } },
        'application/merge-patch+json': { schema: { type: 'object' } },
        'application/apply-patch+yaml': { schema: { type: 'object' } },
      },
      required: true,
    };
  }
  return op;
}

/**
 * Minimal OpenAPI v3 documents: one per group version, with paths whose operations declare the
 * `fieldValidation` parameter, which is what kubectl checks before it relies on server-side
 * validation instead of downloading schemas.
 */
export class OpenApi {
  constructor(private readonly registry: ResourceRegistry) {}

  private visibleGroupVersions(): [string, string][] {
    const out: [string, string][] = [['', 'v1']];
    for (const g of this.registry.groups()) for (const v of g.versions) out.push([g.name, v]);
    return out.filter(([g, v]) => this.registry.resourcesIn(g, v).some((r) => !r.def.hidden));
  }

  index(): JsonObject {
    const paths: JsonObject = {};
    for (const [g, v] of this.visibleGroupVersions()) {
      const key = pathPrefix(g, v).slice(1);
      paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${this.hash(g, v)}` };
    }
    return { paths };
  }

  private hash(group: string, version: string): string {
    return createHash('sha512').update(JSON.stringify(this.document(group, version) ?? {})).digest('hex').slice(0, 128).toUpperCase();
  }

  document(group: string, version: string): JsonObject | undefined {
    const resources = this.registry.resourcesIn(group, version).filter((r) => !r.def.hidden);
    if (resources.length === 0) return undefined;
    const paths: JsonObject = {};
    const prefix = pathPrefix(group, version);
    for (const r of resources) {
      const base = r.def.namespaced ? `${prefix}/namespaces/{namespace}/${r.def.plural}` : `${prefix}/${r.def.plural}`;
      paths[base] = { get: operation(r, 'list', false), post: operation(r, 'post', true) };
      paths[`${base}/{name}`] = {
        get: operation(r, 'get', false),
        put: operation(r, 'put', true),
        patch: operation(r, 'patch', true),
        delete: operation(r, 'delete', false),
      };
    }
    return {
      openapi: '3.0.0',
      info: { title: 'Kubernetes', version: 'v1.32.0' },
      paths,
      components: { schemas: {} },
      'x-group-version': groupVersion(group, version),
    };
  }
}
