import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FaultInjector, FaultSpec } from './faults.js';
import { isObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import type { RequestLog } from './request-log.js';

export const CONTROL_PREFIX = '/_test/';

export interface ControlTarget {
  faults: FaultInjector;
  requestLog: RequestLog;
  expireContinueTokens(): void;
  setContinueTokenTtl(ms: number): void;
  seed(objects: KubeObject[]): Promise<number>;
  info(): Record<string, unknown>;
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const body = value === undefined ? '' : JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/** Fault specs arrive as JSON: `times` 0 or negative means every matching request. */
function faultFromJson(value: unknown): FaultSpec {
  if (!isObject(value) || typeof value.path !== 'string') throw new Error('a fault needs "path" (a regular expression source)');
  const spec = value as unknown as FaultSpec;
  if (typeof spec.times === 'number' && spec.times <= 0) spec.times = Infinity;
  return spec;
}

/**
 * The test-control API, under a prefix real clients never use:
 *   GET/POST/DELETE /_test/faults, DELETE /_test/faults/ID,
 *   GET/DELETE /_test/requests, POST /_test/expire-continue-tokens,
 *   PUT /_test/continue-token-ttl {"ttlMs":N}, POST /_test/seed [objects], GET /_test/info.
 */
export async function handleControl(target: ControlTarget, req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
  const route = url.pathname.slice(CONTROL_PREFIX.length).replace(/\/+$/, '');
  const method = req.method ?? 'GET';
  const parse = (): unknown => (body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined);
  try {
    if (route === 'faults' && method === 'GET') return send(res, 200, target.faults.list().map((f) => ({ ...f, spec: { ...f.spec, path: String(f.spec.path) } })));
    if (route === 'faults' && method === 'POST') {
      const raw = parse();
      const specs = Array.isArray(raw) ? raw : [raw];
      const ids = specs.map((s) => target.faults.add(faultFromJson(s)));
      return send(res, 201, Array.isArray(raw) ? { ids } : { id: ids[0] });
    }
    if (route === 'faults' && method === 'DELETE') {
      target.faults.clear();
      return send(res, 200, {});
    }
    const one = /^faults\/(\d+)$/.exec(route);
    if (one && method === 'DELETE') return send(res, target.faults.remove(Number(one[1])) ? 200 : 404, {});
    if (route === 'requests' && method === 'GET') return send(res, 200, target.requestLog.list());
    if (route === 'requests' && method === 'DELETE') {
      target.requestLog.clear();
      return send(res, 200, {});
    }
    if (route === 'expire-continue-tokens' && method === 'POST') {
      target.expireContinueTokens();
      return send(res, 200, {});
    }
    if (route === 'continue-token-ttl' && method === 'PUT') {
      const raw = parse();
      if (!isObject(raw) || typeof raw.ttlMs !== 'number') throw new Error('expected {"ttlMs": number}');
      target.setContinueTokenTtl(raw.ttlMs);
      return send(res, 200, {});
    }
    if (route === 'seed' && method === 'POST') {
      const raw = parse();
      const items = Array.isArray(raw) ? raw : isObject(raw) && Array.isArray(raw.items) ? raw.items : undefined;
      if (!items) throw new Error('expected a JSON array of objects or {"items": [...]}');
      return send(res, 201, { created: await target.seed(items as KubeObject[]) });
    }
    if (route === 'info' && method === 'GET') return send(res, 200, target.info());
    return send(res, 404, { error: `no control endpoint ${method} ${url.pathname}` });
  } catch (err) {
    return send(res, 400, { error: (err as Error).message });
  }
}
