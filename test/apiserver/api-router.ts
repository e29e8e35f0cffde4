import type { IncomingMessage, ServerResponse } from 'node:http';
import { methodNotAllowed } from './api-error.js';
import { AGGREGATED_CONTENT_TYPE, type Discovery } from './discovery.js';
import type { JsonObject } from './json.js';
import { negotiateOutput } from './media-negotiation.js';
import type { OpenApi } from './openapi.js';
import { emptyOpenApiV2 } from './openapi-v2.js';
import { parseResourcePath } from './request-info.js';
import { STREAMED, type HttpReply, type ResourceHandler } from './resource-handler.js';

export interface RouterOptions {
  /** Answer aggregated discovery (apidiscovery.k8s.io/v2) when asked; off: legacy only. */
  aggregatedDiscovery: boolean;
  gitVersion: string;
}

const NOT_FOUND: HttpReply = { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };

function jsonReply(value: JsonObject, contentType?: string): HttpReply {
  return { status: 200, body: JSON.stringify(value), contentType };
}

/** Maps URLs to discovery, OpenAPI, version, health and resource handlers. */
export class ApiRouter {
  constructor(
    private readonly discovery: Discovery,
    private readonly openapi: OpenApi,
    private readonly resources: ResourceHandler,
    private readonly options: RouterOptions,
  ) {}

  route(method: string, url: URL, req: IncomingMessage, body: Buffer, res: ServerResponse): HttpReply | typeof STREAMED {
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, '') : url.pathname;
    const info = parseResourcePath(path);
    if (info) return this.resources.handle(method, info, url.searchParams, req, body, res);
    if (method !== 'GET' && method !== 'HEAD') {
      return path === '/api' || path.startsWith('/apis') || path === '/version' ? this.error405() : NOT_FOUND;
    }
    const aggregated = this.options.aggregatedDiscovery && negotiateOutput(req.headers.accept) === 'aggregated-discovery';
    if (path === '/version') return jsonReply(this.version());
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(path)) return { status: 200, body: 'ok', contentType: 'text/plain; charset=utf-8' };
    if (path === '/api') return aggregated ? jsonReply(this.discovery.aggregated(true), AGGREGATED_CONTENT_TYPE) : jsonReply(this.discovery.apiVersions());
    if (path === '/apis') return aggregated ? jsonReply(this.discovery.aggregated(false), AGGREGATED_CONTENT_TYPE) : jsonReply(this.discovery.apiGroupList());
    if (path === '/api/v1') return this.found(this.discovery.resourceList('', 'v1'));
    const groupMatch = /^\/apis\/([^/]+)$/.exec(path);
    if (groupMatch) return this.found(this.discovery.apiGroup(groupMatch[1] as string));
    const gvMatch = /^\/apis\/([^/]+)\/([^/]+)$/.exec(path);
    if (gvMatch) return this.found(this.discovery.resourceList(gvMatch[1] as string, gvMatch[2] as string));
    if (path === '/openapi/v3') return jsonReply(this.openapi.index());
    if (path === '/openapi/v2') {
      const doc = emptyOpenApiV2(req.headers.accept);
      return { status: 200, body: doc.body, contentType: doc.contentType };
    }
    const oapi = /^\/openapi\/v3\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
    if (oapi) {
      const doc = oapi[1] ? this.openapi.document('', 'v1') : this.openapi.document(oapi[2] as string, oapi[3] as string);
      return this.found(doc);
    }
    return NOT_FOUND;
  }

  private found(value: JsonObject | undefined): HttpReply {
    return value ? jsonReply(value) : NOT_FOUND;
  }

  private error405(): HttpReply {
    return { status: 405, body: JSON.stringify(methodNotAllowed().toStatus()) };
  }

  private version(): JsonObject {
    const minor = /^v\d+\.(\d+)/.exec(this.options.gitVersion)?.[1] ?? '32';
    return {
      major: '1',
      minor,
      gitVersion: this.options.gitVersion,
      gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
      gitTreeState: 'clean',
      buildDate: '2024-12-11T17:59:15Z',
      goVersion: 'go1.23.3',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
}
