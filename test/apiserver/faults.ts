import type { StatusCause } from './api-error.js';

/** What a fault does to a matching request. */
export interface FaultAction {
  /** Answer with this status code and a proper Status body instead of handling the request. */
  status?: number;
  message?: string;
  /** The Status body's details.causes, as a validation or admission refusal sends them. */
  causes?: StatusCause[];
  /** Sent as the Retry-After header and details.retryAfterSeconds. */
  retryAfterSeconds?: number;
  /** Wait before handling (or before answering with `status`). */
  delayMs?: number;
  /**
   * Destroy the connection: `true` before any response; 'mid-body' after the response head
   * and half of the body (or `resetAfterBytes` bytes), as when a connection drops mid-page.
   */
  reset?: boolean | 'mid-body';
  resetAfterBytes?: number;
}

/** Which requests a fault applies to, and how many times. */
export interface FaultSpec extends FaultAction {
  /** HTTP method, e.g. 'GET' (a regular expression source, matched whole, case-insensitive). */
  method?: string;
  /** Regular expression (or its source) tested against the request path, without the query. */
  path: string | RegExp;
  /** Query parameters that must be present; values are regular expressions (sources), `true` = present. */
  query?: Record<string, string | RegExp | true>;
  /** How many matching requests get the fault (default 1; Infinity, 0 or negative: all). */
  times?: number;
  /** Let this many matching requests through before the fault starts. */
  skip?: number;
}

export interface ActiveFault {
  id: number;
  spec: FaultSpec;
  /** Matching requests seen so far (skipped ones included). */
  seen: number;
  /** Requests the fault was applied to. */
  applied: number;
}

function toRegExp(source: string | RegExp): RegExp {
  return source instanceof RegExp ? source : new RegExp(source);
}

/**
 * Faults injected into the next requests that match a pattern: status codes (with Status
 * bodies and Retry-After), delays, and dropped connections.
 */
export class FaultInjector {
  private readonly faults: ActiveFault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): number {
    toRegExp(spec.path);
    const id = this.nextId++;
    this.faults.push({ id, spec, seen: 0, applied: 0 });
    return id;
  }

  remove(id: number): boolean {
    const i = this.faults.findIndex((f) => f.id === id);
    if (i >= 0) this.faults.splice(i, 1);
    return i >= 0;
  }

  clear(): void {
    this.faults.length = 0;
  }

  list(): ActiveFault[] {
    return this.faults.map((f) => ({ ...f, spec: { ...f.spec } }));
  }

  /** The fault for this request, if any; consumes one use of it. */
  take(method: string, path: string, query: URLSearchParams): ActiveFault | undefined {
    for (const fault of this.faults) {
      if (!matches(fault.spec, method, path, query)) continue;
      fault.seen++;
      if (fault.seen <= (fault.spec.skip ?? 0)) continue;
      fault.applied++;
      const times = fault.spec.times ?? 1;
      const limited = Number.isFinite(times) && times > 0;
      if (limited && fault.applied >= times) this.faults.splice(this.faults.indexOf(fault), 1);
      return fault;
    }
    return undefined;
  }
}

function matches(spec: FaultSpec, method: string, path: string, query: URLSearchParams): boolean {
  if (spec.method && !new RegExp(`^(?:${spec.method})$`, 'i').test(method)) return false;
  if (!toRegExp(spec.path).test(path)) return false;
  for (const [key, expected] of Object.entries(spec.query ?? {})) {
    const value = query.get(key);
    if (value === null) return false;
    if (expected !== true && !toRegExp(expected).test(value)) return false;
  }
  return true;
}
