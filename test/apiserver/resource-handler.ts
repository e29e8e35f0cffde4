import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, methodNotAllowed, resourceNotFound } from './api-error.js';
import type { Cluster } from './cluster.js';
import { asObject, asString, isObject, type JsonObject } from './json.js';
import { includeObjectParam, listResponse, parseSelection, selects } from './list-handler.js';
import { decodeObjectBody, negotiateOutput, patchTypeOf, type OutputForm } from './media-negotiation.js';
import type { KubeObject } from './object-meta.js';
import { renderObject, toKube } from './object-rendering.js';
import { groupVersion } from './resource-def.js';
import type { ResolvedResource } from './resource-registry.js';
import type { ResourceRequest } from './request-info.js';
import { reviewResponse } from './review-resources.js';
import { ScaleSubresource } from './scale-subresource.js';
import type { StoredObject } from './stored-object.js';
import { renderTable } from './table.js';
import { serveWatch } from './watch-handler.js';
import type { DeleteOptions, WriteContext } from './write-context.js';

export interface HttpReply {
  status: number;
  body: string | Buffer;
  contentType?: string;
  headers?: Record<string, string>;
}

export const STREAMED = 'streamed';
const TABLE_CONTENT_TYPE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

const PLAIN_NOT_FOUND: HttpReply = { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };

function json(status: number, body: string): HttpReply {
  return { status, body };
}

function userAgentManager(userAgent: string | undefined): string {
  // The apiserver's default field manager: the user agent up to the first '/'.
  return (userAgent ?? '').split('/')[0]?.slice(0, 128) ?? '';
}

function parseDryRun(query: URLSearchParams): boolean {
  const values = query.getAll('dryRun');
  for (const v of values) {
    if (v !== 'All') throw badRequest(`dryRun: Unsupported value: "${v}": supported values: "All"`);
  }
  return values.length > 0;
}

function deleteOptions(body: Buffer, query: URLSearchParams): DeleteOptions {
  let options: JsonObject = {};
  if (body.length > 0) {
    try {
      const parsed: unknown = JSON.parse(body.toString('utf8'));
      if (isObject(parsed)) options = parsed;
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  }
  const policy = query.get('propagationPolicy') ?? asString(options.propagationPolicy);
  if (policy !== undefined && policy !== null && !['Foreground', 'Background', 'Orphan'].includes(policy)) {
    throw new ApiError(422, 'Invalid', `DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const orphanQuery = query.get('orphanDependents');
  const orphan = orphanQuery !== null ? orphanQuery === 'true' : typeof options.orphanDependents === 'boolean' ? options.orphanDependents : undefined;
  const pre = asObject(options.preconditions);
  const dryRun = Array.isArray(options.dryRun) && options.dryRun.includes('All');
  return {
    propagationPolicy: (policy ?? undefined) as DeleteOptions['propagationPolicy'],
    orphanDependents: orphan,
    preconditions: pre ? { uid: asString(pre.uid), resourceVersion: asString(pre.resourceVersion) } : undefined,
    dryRun,
  };
}

/** A TokenRequest answer with a token-shaped (unsigned) JWT for the service account. */
function tokenRequest(sa: KubeObject): JsonObject {
  const expires = new Date(Date.now() + 3600_000);
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const token = [
    b64({ alg: 'RS256', kid: 'test-apiserver' }),
    b64({ aud: ['https://kubernetes.default.svc.cluster.local'], exp: Math.floor(expires.getTime() / 1000), sub: `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}` }),
    'c2lnbmF0dXJl',
  ].join('.');
  return {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name: sa.metadata.name ?? '', namespace: sa.metadata.namespace ?? '', creationTimestamp: null },
    spec: { audiences: ['https://kubernetes.default.svc.cluster.local'], expirationSeconds: 3600, boundObjectRef: null },
    status: { token, expirationTimestamp: expires.toISOString().replace(/\.\d{3}Z$/, 'Z') },
  };
}

/** The resource endpoints: verbs on collections and objects, and the subresources served. */
export class ResourceHandler {
  private readonly scale: ScaleSubresource;

  constructor(private readonly cluster: Cluster, private readonly tokenValid: (token: string) => boolean) {
    this.scale = new ScaleSubresource(cluster);
  }

  handle(
    method: string, info: ResourceRequest, query: URLSearchParams, req: IncomingMessage, body: Buffer, res: ServerResponse,
  ): HttpReply | typeof STREAMED {
    const { registry } = this.cluster;
    const r = registry.resolve(info.group, info.version, info.resource);
    if (!r) {
      return registry.hasGroupVersion(info.group, info.version) ? this.error(resourceNotFound()) : PLAIN_NOT_FOUND;
    }
    const { def } = r;
    let namespace = info.namespace;
    if (def.plural === 'namespaces' && def.group === '') namespace = '';
    if (!def.namespaced && namespace !== '') return this.error(resourceNotFound());
    if (def.namespaced && namespace === '' && info.name !== '') return this.error(resourceNotFound());

    const form = negotiateOutput(req.headers.accept, info.name ? 'object' : 'list');
    const ctx: WriteContext = {
      manager: query.get('fieldManager') ?? userAgentManager(req.headers['user-agent']),
      dryRun: parseDryRun(query),
    };
    const contentType = req.headers['content-type'];

    if (info.subresource) return this.subresource(r, namespace, info, method, query, body, contentType, ctx, form);

    const watch = info.watchPrefix || query.get('watch') === 'true' || query.get('watch') === '1';
    const verb = method === 'GET' ? (info.name ? 'get' : watch ? 'watch' : 'list')
      : method === 'POST' && !info.name ? 'create'
        : method === 'PUT' && info.name ? 'update'
          : method === 'PATCH' && info.name ? 'patch'
            : method === 'DELETE' ? (info.name ? 'delete' : 'deletecollection')
              : '';
    if (!def.verbs.includes(verb)) return this.error(methodNotAllowed());

    switch (verb) {
      case 'get': return this.getReply(r, this.cluster.getStored(r, namespace, info.name), form, query);
      case 'list':
        return { status: 200, body: listResponse(this.cluster, r, namespace, query, form), contentType: form === 'table' ? TABLE_CONTENT_TYPE : undefined };
      case 'watch':
        serveWatch(this.cluster, r, namespace, query, form, req, res);
        return STREAMED;
      case 'create': {
        const obj = decodeObjectBody(body, contentType) as unknown as KubeObject;
        if (def.review) return json(201, JSON.stringify(reviewResponse(def, r.version.name, obj, namespace, this.tokenValid)));
        return json(201, renderObject(r, this.cluster.create(r, namespace, obj, ctx)));
      }
      case 'update': {
        const obj = decodeObjectBody(body, contentType) as unknown as KubeObject;
        const existed = this.cluster.store.get(def.storage, namespace, info.name) !== undefined;
        return json(existed ? 200 : 201, renderObject(r, this.cluster.update(r, namespace, info.name, obj, ctx)));
      }
      case 'patch': {
        const type = patchTypeOf(contentType, def.builtIn);
        const existed = this.cluster.store.get(def.storage, def.namespaced ? namespace : '', info.name) !== undefined;
        const stored = this.cluster.patch(r, namespace, info.name, type, body.toString('utf8'), ctx);
        return json(existed ? 200 : 201, renderObject(r, stored));
      }
      case 'delete': {
        const options = deleteOptions(body, query);
        const result = this.cluster.delete(r, namespace, info.name, options, { ...ctx, dryRun: ctx.dryRun || options.dryRun === true });
        return this.deleteReply(r, result.object, result.deleted, options);
      }
      case 'deletecollection': {
        const options = deleteOptions(body, query);
        const selection = parseSelection(r, query);
        const deleted = this.cluster.deleteCollection(r, namespace, (o) => selects(selection, o), options, { ...ctx, dryRun: ctx.dryRun || options.dryRun === true });
        const items = deleted.map((o) => renderObject(r, o)).join(',');
        return json(200, `{"kind":${JSON.stringify(def.listKind)},"apiVersion":${JSON.stringify(groupVersion(def.group, r.version.name))},"metadata":{"resourceVersion":"${this.cluster.store.currentRv()}"},"items":[${items}]}`);
      }
    }
    return this.error(methodNotAllowed());
  }

  private getReply(r: ResolvedResource, stored: StoredObject, form: OutputForm, query: URLSearchParams): HttpReply {
    if (form === 'table') {
      return { status: 200, body: renderTable(r, [toKube(r, stored)], { resourceVersion: String(stored.rv) }, includeObjectParam(query)), contentType: TABLE_CONTENT_TYPE };
    }
    if (form === 'metadata') {
      return json(200, JSON.stringify({ kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: toKube(r, stored).metadata }));
    }
    return json(200, renderObject(r, stored));
  }

  private deleteReply(r: ResolvedResource, object: StoredObject, deleted: boolean, options: DeleteOptions): HttpReply {
    if (!deleted) return json(options.orphanDependents === false ? 202 : 200, renderObject(r, object));
    if (r.def.returnDeletedObject) return json(200, renderObject(r, object));
    const details: JsonObject = { name: object.name };
    if (r.def.group) details.group = r.def.group;
    details.kind = r.def.plural;
    details.uid = object.uid;
    return json(200, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details }));
  }

  private subresource(
    r: ResolvedResource, namespace: string, info: ResourceRequest, method: string, query: URLSearchParams,
    body: Buffer, contentType: string | undefined, ctx: WriteContext, form: OutputForm,
  ): HttpReply {
    const sub = r.version.subresources.find((s) => s.name === info.subresource);
    if (!sub || !info.name) return this.error(resourceNotFound());
    const verb = method === 'GET' ? 'get' : method === 'PUT' ? 'update' : method === 'PATCH' ? 'patch' : method === 'POST' ? 'create' : method === 'DELETE' ? 'delete' : '';
    if (!sub.verbs.includes(verb)) return this.error(methodNotAllowed());
    const name = info.name;
    switch (sub.name) {
      case 'status':
        if (verb === 'get') return this.getReply(r, this.cluster.getStored(r, namespace, name), form, query);
        if (verb === 'update') {
          const obj = decodeObjectBody(body, contentType) as unknown as KubeObject;
          return json(200, renderObject(r, this.cluster.update(r, namespace, name, obj, { ...ctx, subresource: 'status' })));
        }
        return json(200, renderObject(r, this.cluster.patch(r, namespace, name, patchTypeOf(contentType, r.def.builtIn), body.toString('utf8'), { ...ctx, subresource: 'status' })));
      case 'finalize': {
        const obj = decodeObjectBody(body, contentType) as unknown as KubeObject;
        return json(200, renderObject(r, this.cluster.update(r, namespace, name, obj, { ...ctx, subresource: 'finalize' })));
      }
      case 'scale':
        if (verb === 'get') return json(200, this.scale.get(r, namespace, name));
        if (verb === 'update') return json(200, this.scale.update(r, namespace, name, decodeObjectBody(body, contentType), ctx));
        return json(200, this.scale.patch(r, namespace, name, patchTypeOf(contentType, true), body.toString('utf8'), ctx));
      case 'log':
        this.cluster.getStored(r, namespace, name);
        return { status: 200, body: '', contentType: 'text/plain' };
      case 'binding': {
        const binding = decodeObjectBody(body, contentType);
        const target = asObject(binding.target);
        this.cluster.update(r, namespace, name, { metadata: { name }, spec: { nodeName: asString(target?.name) ?? '' } }, { ...ctx, subresource: 'binding' });
        return json(201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
      }
      case 'token':
        return json(201, JSON.stringify(tokenRequest(this.cluster.get(r, namespace, name))));
      case 'eviction':
        this.cluster.delete(r, namespace, name, {}, ctx);
        return json(201, JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 }));
      default:
        return this.error(methodNotAllowed());
    }
  }

  private error(err: ApiError): HttpReply {
    return { status: err.code, body: JSON.stringify(err.toStatus()), headers: err.headers };
  }
}
