import { badRequest, conflict, STALE_OBJECT } from './api-error.js';
import type { Cluster } from './cluster.js';
import { asArray, asObject, asString, ensureObject, getPath, isObject, type JsonObject } from './json.js';
import { applyPatch, parsePatchBody, type PatchType } from './patch-application.js';
import type { KubeObject } from './object-meta.js';
import { toKube } from './object-rendering.js';
import type { ResolvedResource } from './resource-registry.js';
import type { WriteContext } from './write-context.js';

function pathOf(jsonPath: string): string[] {
  return jsonPath.replace(/^\./, '').split('.');
}

function scalePaths(r: ResolvedResource): { spec: string[]; status: string[]; selector?: string[] } {
  const scale = r.version.scale;
  if (scale) {
    return { spec: pathOf(scale.specReplicasPath), status: pathOf(scale.statusReplicasPath), selector: scale.labelSelectorPath ? pathOf(scale.labelSelectorPath) : undefined };
  }
  return { spec: ['spec', 'replicas'], status: ['status', 'replicas'] };
}

/** metav1.LabelSelector rendered as a selector string, as Scale.status.selector carries it. */
export function labelSelectorString(selector: unknown): string {
  const s = asObject(selector);
  if (!s) return '';
  const parts: [string, string][] = [];
  for (const [k, v] of Object.entries(asObject(s.matchLabels) ?? {})) parts.push([k, `${k}=${String(v)}`]);
  for (const e of (asArray(s.matchExpressions) ?? []).filter(isObject)) {
    const key = asString(e.key) ?? '';
    const values = (asArray(e.values) ?? []).map(String).sort().join(',');
    switch (e.operator) {
      case 'In': parts.push([key, `${key} in (${values})`]); break;
      case 'NotIn': parts.push([key, `${key} notin (${values})`]); break;
      case 'Exists': parts.push([key, key]); break;
      case 'DoesNotExist': parts.push([key, `!${key}`]); break;
    }
  }
  return parts.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, text]) => text).join(',');
}

function toScale(r: ResolvedResource, obj: KubeObject): JsonObject {
  const paths = scalePaths(r);
  const specReplicas = getPath(obj, paths.spec);
  const statusReplicas = getPath(obj, paths.status);
  const selector = paths.selector ? asString(getPath(obj, paths.selector)) : labelSelectorString(getPath(obj, ['spec', 'selector']));
  const m = obj.metadata;
  const status: JsonObject = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  if (selector) status.selector = selector;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: m.name ?? '', namespace: m.namespace, uid: m.uid ?? '', resourceVersion: m.resourceVersion ?? '', creationTimestamp: m.creationTimestamp ?? null },
    spec: { replicas: typeof specReplicas === 'number' ? specReplicas : 0 },
    status,
  };
}

/** The scale subresource: an autoscaling/v1 Scale view of spec.replicas (or the CRD's paths). */
export class ScaleSubresource {
  constructor(private readonly cluster: Cluster) {}

  get(r: ResolvedResource, namespace: string, name: string): string {
    return JSON.stringify(toScale(r, this.cluster.get(r, namespace, name)));
  }

  update(r: ResolvedResource, namespace: string, name: string, scale: JsonObject, ctx: WriteContext): string {
    const current = this.cluster.get(r, namespace, name);
    const rv = asString(asObject(scale.metadata)?.resourceVersion);
    if (rv && rv !== current.metadata.resourceVersion) throw conflict({ group: r.def.group, resource: r.def.plural }, name, STALE_OBJECT);
    const replicas = getPath(scale, ['spec', 'replicas']);
    if (typeof replicas !== 'number' || replicas < 0) throw badRequest('spec.replicas: Invalid value: must be greater than or equal to 0');
    const paths = scalePaths(r);
    const parent = ensureObject(current as unknown as JsonObject, paths.spec.slice(0, -1));
    parent[paths.spec[paths.spec.length - 1] as string] = replicas;
    const stored = this.cluster.update(r, namespace, name, current, { ...ctx, subresource: undefined });
    return JSON.stringify(toScale(r, toKube(r, stored)));
  }

  patch(r: ResolvedResource, namespace: string, name: string, type: PatchType, raw: string, ctx: WriteContext): string {
    const scale = toScale(r, this.cluster.get(r, namespace, name));
    const patched = applyPatch(type, scale, parsePatchBody(type, raw));
    if (!isObject(patched)) throw badRequest('the patched Scale is not an object');
    return this.update(r, namespace, name, patched, ctx);
  }
}
