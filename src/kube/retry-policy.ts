/** Capped exponential backoff with jitter, as quality.md asks of every transient fault. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * How long throttling (429) is retried, from the first attempt, whatever `attempts` says;
   * without it, throttling gets `attempts` like any other fault.
   */
  readonly throttledForMs?: number;
}

/**
 * 429 is retried for a minute, or for the count of attempts where those take longer (each pause
 * being at most a minute): API Priority and Fairness answers it to a server that is well but
 * busy, and asks to come back in a second or so, for as long as the load lasts; a count alone
 * would give up after a few seconds of it. Server errors and broken connections keep a count:
 * waiting a minute on them would only hide that something is broken.
 */
export const defaultRetryPolicy: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 10_000, throttledForMs: 60_000 };

const maxRetryAfterMs = 60_000;

/**
 * Delay before retry number `retry` (1-based): at least the server's Retry-After, and at least
 * half the capped exponential backoff, plus a random part of up to half the larger of the two.
 * The random part spreads out the workers a Retry-After would otherwise wake all at once, and
 * the backoff keeps growing when a server asks for the same short pause again and again.
 */
export function backoffDelay(policy: RetryPolicy, retry: number, retryAfterSeconds?: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  // A server may ask for a long pause: a minute at most is waited, so that a run is never stuck for longer on one request.
  const asked = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0 ? Math.min(retryAfterSeconds * 1000, maxRetryAfterMs) : 0;
  return Math.round(Math.max(asked, ceiling / 2) + (random() * Math.max(asked, ceiling)) / 2);
}

/** Where a request stands after a failed attempt. */
export interface RetryState {
  /** Attempts made, the failed one included. */
  readonly attempt: number;
  /** Of those, the ones that failed other than by throttling (429). */
  readonly faults: number;
  /** Whether the failed one was throttled. */
  readonly throttled: boolean;
  /** Since the first attempt was sent. */
  readonly elapsedMs: number;
}

/**
 * Whether another attempt, after `delayMs`, fits: faults other than throttling get `attempts`
 * in all; throttling goes on while the policy's time allows, and never gets fewer attempts.
 */
export function mayRetry(policy: RetryPolicy, state: RetryState, delayMs: number): boolean {
  if (!state.throttled) return state.faults < policy.attempts;
  return state.attempt < policy.attempts || (policy.throttledForMs !== undefined && state.elapsedMs + delayMs <= policy.throttledForMs);
}

/** An error given up on after retries: how many attempts, over how long. */
export interface RetriedError {
  readonly retries: { readonly attempts: number; readonly elapsedMs: number };
}

/** Marks an error as given up on, its message saying so ("...; gave up after 6 attempts over 5.2s"). */
export function givenUp<E>(err: E, attempts: number, elapsedMs: number): E {
  if (!(err instanceof Error) || attempts < 2) return err;
  err.message += ` (${retriesText({ attempts, elapsedMs })})`;
  return Object.assign(err, { retries: { attempts, elapsedMs } } satisfies RetriedError);
}

/** " (gave up after 6 attempts over 5.2s)" for an error given up on after retries, else "". */
export function retriesNote(err: unknown): string {
  const retries = (err as Partial<RetriedError> | null)?.retries;
  return retries === undefined ? '' : ` (${retriesText(retries)})`;
}

function retriesText({ attempts, elapsedMs }: RetriedError['retries']): string {
  return `gave up after ${attempts} attempts over ${(elapsedMs / 1000).toFixed(1)}s`;
}

/** Status codes worth another try: throttling and server-side trouble. */
export function isRetryableStatus(code: number): boolean {
  return code === 429 || code === 500 || code === 502 || code === 503 || code === 504;
}

/** Network errors worth another try: the connection broke, not "nobody is there". */
export function isRetryableNetworkError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ETIMEDOUT' || code === 'UND_ERR_SOCKET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'ECONNABORTED';
}
