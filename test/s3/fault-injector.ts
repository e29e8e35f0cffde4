import type { S3Operation } from './s3-operation.js';

/**
 * What an injected fault does to a matching request:
 *  - 500, 503: an InternalError / ServiceUnavailable error document;
 *  - 'SlowDown': S3's throttling answer (503 SlowDown);
 *  - 'reset': the connection is destroyed, once the first bytes of a request body (an
 *    UploadPart, say) have arrived, or at once for requests without one;
 *  - 'lose-response': the request reaches the store and takes effect, then the connection is
 *    destroyed instead of answering, as when a network fails on the way back.
 */
export type FaultKind = 500 | 503 | 'SlowDown' | 'reset' | 'lose-response';

export interface FaultSpec {
  readonly kind: FaultKind;
  /** How many matching requests it hits; 1 unless given. */
  readonly times?: number;
  readonly method?: string;
  readonly operation?: S3Operation;
  /** The object key, exactly or by pattern; requests without a key never match a key. */
  readonly key?: string | RegExp;
}

export interface Fault {
  readonly spec: FaultSpec;
  /** Requests it has hit so far. */
  readonly hits: number;
  readonly remaining: number;
}

interface RequestFacts {
  readonly method: string;
  readonly operation: S3Operation;
  readonly key: string | undefined;
}

class ActiveFault implements Fault {
  hits = 0;
  constructor(readonly spec: FaultSpec) {}

  get remaining(): number {
    return Math.max(0, (this.spec.times ?? 1) - this.hits);
  }

  matches(request: RequestFacts): boolean {
    const { method, operation, key } = this.spec;
    if (method !== undefined && method.toUpperCase() !== request.method.toUpperCase()) return false;
    if (operation !== undefined && operation !== request.operation) return false;
    if (key !== undefined) {
      if (request.key === undefined) return false;
      if (typeof key === 'string' ? key !== request.key : !key.test(request.key)) return false;
    }
    return true;
  }
}

/** The next N requests matching method, operation and key get a fault; first injected, first used. */
export class FaultInjector {
  private faults: ActiveFault[] = [];

  inject(spec: FaultSpec): Fault {
    const fault = new ActiveFault(spec);
    this.faults.push(fault);
    return fault;
  }

  /** Removes every fault not used up yet. */
  clear(): void {
    this.faults = [];
  }

  /** Faults with hits left. */
  get pending(): readonly Fault[] {
    return this.faults.filter((fault) => fault.remaining > 0);
  }

  /** The fault this request gets, counted as hit; undefined for none. */
  take(request: RequestFacts): FaultKind | undefined {
    const fault = this.faults.find((candidate) => candidate.remaining > 0 && candidate.matches(request));
    if (!fault) return undefined;
    fault.hits++;
    return fault.spec.kind;
  }
}
