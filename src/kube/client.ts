import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { errorMessage } from '../errors.js';
import { KubeApiError } from './api-error.js';
import { BodyGatherer } from './body-gatherer.js';
import { parseJson } from './exact-json.js';
import { parseListBody, type ItemMapper } from './list-body.js';
import { backoffDelay, defaultRetryPolicy, givenUp, isRetryableNetworkError, isRetryableStatus, mayRetry, type RetryPolicy } from './retry-policy.js';
import type { KubeStatus } from './types.js';
import { unreachable } from './unreachable.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export type QueryValue = string | number | boolean | undefined;

export interface KubeRequest {
  method: HttpMethod;
  /** Absolute API path, e.g. `/api/v1/namespaces/x/configmaps`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON; a string or bytes are sent as they are (JSON already). */
  body?: unknown;
  /** Defaults to application/json; patches name their type. */
  contentType?: string;
  /** Defaults to application/json: the media types the answer may come in, as an Accept header. */
  accept?: string;
  /** No request timeout (watches). */
  noTimeout?: boolean;
  /** Only success matters: `json` drains the body without parsing it and returns `{}`. */
  discardBody?: boolean;
  /** `json` stops reading a body larger than this and fails with ResponseTooLargeError (not retried). */
  maxBodyBytes?: number;
  /** Told the size in bytes of the body `json` read, before it is parsed. */
  onBodyBytes?: (bytes: number) => void;
  /** The answer is a LIST: `json` parses its items one by one (list-body.ts), never the page as one string. */
  list?: boolean;
  /** With `list`: each item is replaced by what this makes of it, as soon as it is parsed (list-body.ts). */
  mapItem?: ItemMapper;
  /**
   * Shown the first bytes of a 2xx body as they come (of every attempt), until it returns
   * true: what they say can be acted on before the whole body is there.
   */
  onBodyHead?: (head: Buffer) => boolean;
  /**
   * Told of each retry of this request: a create that was sent again may have been made by an
   * attempt whose answer was lost, so that the retry's 409 is the request's own doing.
   */
  onRetry?: (notice: RetryNotice) => void;
  signal?: AbortSignal;
}

/** A response body beyond the request's maxBodyBytes: nothing of it was kept. */
export class ResponseTooLargeError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly maxBytes: number,
  ) {
    super(`the answer to ${method} ${path} is larger than ${maxBytes} bytes`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface RetryNotice {
  method: string;
  path: string;
  attempt: number;
  delayMs: number;
  reason: string;
}

/** What every engine talks to: JSON in, JSON out, retries inside. */
export interface KubeClient {
  /** The API server's URL, for records and messages. */
  readonly server: string;
  json<T>(req: KubeRequest): Promise<T>;
  /** The response body as a stream, for watches; the status is checked first. */
  stream(req: KubeRequest): Promise<Readable>;
}

/** How to reach the API server: what a kubeconfig or the in-cluster service account resolves to. */
export interface Endpoint {
  server: string;
  /** Called before every request: headers can change (exec plugins and token files refresh). */
  headers(): Promise<Record<string, string>>;
  tls: { ca?: Buffer; cert?: Buffer; key?: Buffer; rejectUnauthorized?: boolean; servername?: string };
}

export interface HttpKubeClientOptions {
  retry?: RetryPolicy;
  /**
   * A request whose connection is silent this long (nothing sent or received) fails with
   * ETIMEDOUT, and is retried; a connection idle this long between requests is closed.
   * Requests with noTimeout are exempt.
   */
  timeoutMs?: number;
  /** Concurrent sockets to the API server. */
  maxSockets?: number;
  onRetry?: (notice: RetryNotice) => void;
  /** The pause between attempts, and the clock and random source of the retries: for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  userAgent?: string;
  /**
   * Ask for gzip-compressed answers, as kubectl does: the API server compresses those of 128 KiB
   * and more (LIST pages), about tenfold for JSON, which decides over a slow link. Default: yes,
   * unless the server is on this machine (loopback), where compressing only costs CPU.
   */
  compression?: boolean;
}

export class HttpKubeClient implements KubeClient {
  readonly server: string;
  /** Where every request goes: protocol, host and port of the server, and its path prefix. */
  private readonly target: { transport: typeof http | typeof https; hostname: string; port: string; pathPrefix: string };
  private readonly agent: http.Agent;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly compression: boolean;
  private readonly bodies = new BodyGatherer();
  /**
   * Whether the server has answered this client. A connection refused before that (a wrong
   * kubeconfig, a cluster that is down) fails at once, as with kubectl; after it, the API
   * server is restarting (a control-plane upgrade, a crashed apiserver coming back), and a
   * refusal is retried like a reset, so that a long backup or restore survives it.
   */
  private answered = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly options: HttpKubeClientOptions = {},
  ) {
    this.server = endpoint.server;
    const base = new URL(endpoint.server);
    // Parsed once: a URL object per request costs more than the rest of a small request.
    this.target = {
      transport: base.protocol === 'https:' ? https : http,
      hostname: base.hostname.startsWith('[') ? base.hostname.slice(1, -1) : base.hostname,
      port: base.port,
      pathPrefix: base.pathname.replace(/\/$/, ''),
    };
    const maxSockets = options.maxSockets ?? 16;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    // The timeout is the sockets': a request whose socket is silent that long fails (send). Set
    // per request instead, it re-armed a timer twice a request, ~6 µs of each of a restore's creates.
    // A socket idle that long in the pool is closed, as kubectl's idle connections are.
    const timeout = this.timeoutMs;
    this.agent =
      base.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets, timeout, ...endpoint.tls })
        : new http.Agent({ keepAlive: true, maxSockets, timeout });
    this.retry = options.retry ?? defaultRetryPolicy;
    this.compression = options.compression ?? !isLoopback(this.target.hostname);
  }

  async json<T>(req: KubeRequest): Promise<T> {
    const { body, bytes, release } = await this.withRetries(req, (res) => readBody(res, this.bodies, req), this.compression);
    try {
      req.onBodyBytes?.(bytes);
      if (body.length === 0) return {} as T;
      return req.list ? parseListBody<T>(body, (b) => decode(b, req), req.mapItem) : (parseJson(decode(body, req)) as T);
    } finally {
      // What was parsed holds strings and objects of its own: the buffer can serve the next body.
      release();
    }
  }

  async stream(req: KubeRequest): Promise<Readable> {
    return this.withRetries(req, async (res) => res);
  }

  /**
   * Sends the request, retrying transient faults; `consume` reads the body of a 2xx answer.
   * An error after the last retry says how many attempts were made, over how long.
   */
  private async withRetries<T>(req: KubeRequest, consume: (res: http.IncomingMessage) => Promise<T>, compressed = false): Promise<T> {
    const { now = Date.now, random = Math.random, sleep = pause } = this.options;
    const started = now();
    let faults = 0;
    for (let attempt = 1; ; attempt++) {
      let failure: { error: unknown; retryable: boolean; throttled: boolean; retryAfter?: number; reason: string };
      try {
        const res = await this.send(req, compressed);
        this.answered = true;
        const code = res.statusCode ?? 0;
        if (code >= 200 && code < 300) return await consume(res);
        const error = new KubeApiError(code, req.method, req.path, await readStatus(res, this.bodies));
        const header = res.headers['retry-after'];
        const retryAfter = header === undefined ? undefined : Number(header);
        failure = { error, retryable: isRetryableStatus(code), throttled: code === 429, retryAfter, reason: `${code}${error.reason ? ` ${error.reason}` : ''}` };
      } catch (err) {
        const code = (err as { code?: string }).code;
        // A refused connection sent nothing: retrying it is safe for any request.
        const retryable = (isRetryableNetworkError(err) || (this.answered && code === 'ECONNREFUSED')) && !req.signal?.aborted;
        failure = { error: decorateNetworkError(err, req, this.server), retryable, throttled: false, reason: code ?? 'connection error' };
      }
      if (!failure.retryable) throw failure.error;
      if (!failure.throttled) faults++;
      const delayMs = backoffDelay(this.retry, attempt, failure.retryAfter, random);
      if (!mayRetry(this.retry, { attempt, faults, throttled: failure.throttled, elapsedMs: now() - started }, delayMs)) throw givenUp(failure.error, attempt, now() - started);
      const notice = { method: req.method, path: req.path, attempt, delayMs, reason: failure.reason };
      this.options.onRetry?.(notice);
      req.onRetry?.(notice);
      await sleep(delayMs, req.signal);
    }
  }

  /**
   * The kubeconfig's credentials as headers. Failing to get them (an exec plugin whose session
   * expired) stops the work as an unreachable server does: every later request would fail the
   * same way, each running the plugin again.
   */
  private async credentials(): Promise<Record<string, string>> {
    try {
      return await this.endpoint.headers();
    } catch (err) {
      const reason = errorMessage(err).trim().split('\n')[0];
      throw unreachable(new Error(`cannot authenticate to the API server ${this.server}: ${reason}`, { cause: err }));
    }
  }

  /** `compressed`: the answer may come gzip-compressed (never for streams: watches are not). */
  private async send(req: KubeRequest, compressed: boolean): Promise<http.IncomingMessage> {
    const path = this.target.pathPrefix + req.path + queryString(req.query);
    // Text or bytes as they are: Node writes the headers and the body together, with no copy.
    const payload = req.body === undefined ? undefined : typeof req.body === 'string' || req.body instanceof Uint8Array ? req.body : JSON.stringify(req.body);
    const headers: Record<string, string> = {
      Accept: req.accept ?? 'application/json',
      'User-Agent': this.options.userAgent ?? 'kubectl-backup',
      ...(await this.credentials()),
    };
    if (compressed) headers['Accept-Encoding'] = 'gzip';
    if (payload !== undefined) {
      headers['Content-Type'] = req.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    const { transport, hostname, port } = this.target;
    return new Promise((resolve, reject) => {
      const request = transport.request({ hostname, port, path, method: req.method, headers, agent: this.agent, signal: req.signal }, resolve);
      request.on('error', reject);
      // The socket's timeout only tells the request; without this listener (noTimeout) it goes on.
      if (!req.noTimeout) request.on('timeout', () => request.destroy(Object.assign(new Error(`timed out after ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
      request.end(payload);
    });
  }
}

function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return sleep(ms, undefined, signal ? { signal } : undefined);
}

/** `?a=1&b=2` of the defined values, or nothing. */
function queryString(query: Record<string, QueryValue> | undefined): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * A response body, with its size in bytes; past the request's maxBodyBytes the response is
 * dropped. The body is gathered in a reused buffer (body-gatherer.ts): `release` gives it back
 * once nothing refers to it. Events rather than `for await`: an async iterator per response costs
 * more CPU than the small bodies it reads, which shows when a restore creates thousands of
 * objects a second. A body cut short fails like a reset connection, so it is retried.
 */
function readBody(res: http.IncomingMessage, bodies: BodyGatherer, req?: KubeRequest): Promise<{ body: Buffer; bytes: number; release: () => void }> {
  const discard = req?.discardBody ?? false;
  // Compressed answers are read through gunzip: sizes, limits and heads are of the JSON itself.
  const source: Readable = res.headers['content-encoding'] === 'gzip' ? res.pipe(zlib.createGunzip()) : res;
  const gathering = bodies.begin();
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let ended = false;
    let failed = false;
    let head: Buffer | undefined;
    // Cleared once it has seen enough: later chunks cost nothing.
    let onHead = req?.onBodyHead;
    const fail = (err: unknown) => {
      failed = true;
      gathering.release();
      reject(err);
    };
    const cutShort = () => fail(Object.assign(new Error('the connection closed before the response ended'), { code: 'ECONNRESET' }));
    source.on('data', (chunk: Buffer) => {
      if (failed) return;
      bytes += chunk.length;
      if (req?.maxBodyBytes !== undefined && bytes > req.maxBodyBytes) {
        fail(new ResponseTooLargeError(req.method, req.path, req.maxBodyBytes));
        res.destroy();
        source.destroy();
        return;
      }
      if (!discard) gathering.add(chunk);
      if (onHead) {
        head = head === undefined ? chunk : Buffer.concat([head, chunk]);
        if (onHead(head)) onHead = head = undefined;
      }
    });
    source.on('end', () => {
      ended = true;
      resolve({ body: gathering.body(), bytes, release: () => gathering.release() });
    });
    res.on('error', fail);
    // A compressed body cut short fails to decompress: a cut body all the same.
    if (source !== res) source.on('error', cutShort);
    res.on('close', () => {
      if (!ended && !res.complete) cutShort();
    });
  });
}

/** A body as text; over V8's largest string (~512 MB) it is an error of the request, not a crash. */
function decode(body: Buffer, req?: KubeRequest): string {
  try {
    return body.toString('utf8');
  } catch (err) {
    throw new Error(`the answer to ${req?.method ?? 'the request'} ${req?.path ?? ''} (${body.length} bytes) is too large to read at once: ${(err as Error).message}`, { cause: err });
  }
}

async function readStatus(res: http.IncomingMessage, bodies: BodyGatherer): Promise<KubeStatus | undefined> {
  const { body, release } = await readBody(res, bodies);
  const text = decode(body);
  release();
  try {
    const parsed = JSON.parse(text) as KubeStatus;
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return text ? { message: text.slice(0, 500) } : undefined;
  }
}

/**
 * Network errors get the server and request in their message, so the user sees what failed.
 * Only errors with a system or TLS code are the network's: anything else (a body too deep to
 * serialise, a bug) said as "cannot reach the API server" would stop a restore as if the
 * cluster were gone.
 */
function decorateNetworkError(err: unknown, req: KubeRequest, server: string): unknown {
  if (err instanceof KubeApiError || err instanceof ResponseTooLargeError || !(err instanceof Error)) return err;
  const code = (err as { code?: unknown }).code;
  if (typeof code !== 'string') return err;
  // A timeout says how long was waited (ours: the silence allowed; the system's: whom it tried).
  const reason = tlsVerificationCodes.has(code) ? `its TLS certificate is not trusted by the kubeconfig (${code}: ${err.message})` : code === 'ETIMEDOUT' ? `${code} (${err.message})` : code;
  const wrapped = new Error(`cannot reach the API server ${server} (${req.method} ${req.path}): ${reason}`, { cause: err });
  return unreachable(Object.assign(wrapped, { code }));
}

/** OpenSSL's verification failures: said as such, so that a missing or wrong CA is recognisable. */
const tlsVerificationCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** A host on this machine: `localhost`, 127.0.0.0/8 or ::1. */
export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '::1';
}
