import assert from 'node:assert/strict';
import { backoffDelay, defaultRetryPolicy, givenUp, isRetryableNetworkError, isRetryableStatus, mayRetry, retriesNote } from '../../src/kube/retry-policy.js';

describe('retry policy', () => {
  it('grows exponentially with jitter and is capped', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(policy, 1, undefined, () => 0), 50);
    assert.equal(backoffDelay(policy, 1, undefined, () => 1), 100);
    assert.equal(backoffDelay(policy, 3, undefined, () => 1), 400);
    assert.equal(backoffDelay(policy, 9, undefined, () => 1), 1000);
    assert.equal(backoffDelay(policy, 9, undefined, () => 0), 500);
  });

  it("waits at least the server's Retry-After, spread by up to half of it", () => {
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 2, () => 0), 2000);
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 2, () => 1), 3000);
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 0, () => 0), 100, 'Retry-After: 0 still backs off');
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 3600, () => 0), 60_000, 'a pause beyond a minute is cut to a minute');
    assert.ok(backoffDelay(defaultRetryPolicy, 1, Number.NaN) <= defaultRetryPolicy.baseDelayMs);
  });

  it('grows past a Retry-After asked for again and again, up to its cap', () => {
    const policy = { attempts: 20, baseDelayMs: 200, maxDelayMs: 10_000 };
    const lowest = (retry: number) => backoffDelay(policy, retry, 1, () => 0);
    const highest = (retry: number) => backoffDelay(policy, retry, 1, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map(lowest), [1000, 1000, 1000, 1000, 1600, 3200, 5000, 5000, 5000]);
    assert.deepEqual([1, 5, 6, 7, 9].map(highest), [1500, 3200, 6400, 10_000, 10_000]);
  });

  it('spreads workers that were told the same Retry-After over the whole jitter range', () => {
    const delays = Array.from({ length: 11 }, (_, i) => backoffDelay(defaultRetryPolicy, 2, 1, () => i / 10));
    assert.deepEqual(delays, [1000, 1050, 1100, 1150, 1200, 1250, 1300, 1350, 1400, 1450, 1500]);
    for (let retry = 1; retry <= 12; retry++) {
      for (const r of [0, 0.37, 0.999]) {
        const delay = backoffDelay(defaultRetryPolicy, retry, 1, () => r);
        assert.ok(delay >= 1000 && delay <= 1.5 * Math.max(1000, defaultRetryPolicy.maxDelayMs), `retry ${retry}: ${delay}`);
      }
    }
  });

  it('retries other faults a number of times, and throttling for a time of at least as many attempts', () => {
    const policy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000, throttledForMs: 60_000 };
    const state = { attempt: 3, faults: 3, throttled: false, elapsedMs: 1000 };
    assert.equal(mayRetry(policy, { ...state, faults: 2 }, 100), true);
    assert.equal(mayRetry(policy, state, 100), false);
    assert.equal(mayRetry(policy, { attempt: 30, faults: 0, throttled: true, elapsedMs: 58_000 }, 1500), true);
    assert.equal(mayRetry(policy, { attempt: 30, faults: 0, throttled: true, elapsedMs: 59_000 }, 1500), false);
    assert.equal(mayRetry({ ...policy, throttledForMs: undefined }, { attempt: 3, faults: 0, throttled: true, elapsedMs: 0 }, 1), false);
    assert.equal(mayRetry({ ...policy, throttledForMs: 0 }, { attempt: 2, faults: 0, throttled: true, elapsedMs: 5000 }, 1), true, 'never fewer attempts than other faults');
    assert.equal(mayRetry(policy, { attempt: 31, faults: 2, throttled: false, elapsedMs: 59_000 }, 100), true, 'a fault after throttling still gets its attempts');
  });

  it('says how many attempts were made over how long, only for an error that was retried', () => {
    const err = givenUp(new Error('GET /x: 503 ServiceUnavailable'), 6, 5230);
    assert.equal(err.message, 'GET /x: 503 ServiceUnavailable (gave up after 6 attempts over 5.2s)');
    assert.equal(retriesNote(err), ' (gave up after 6 attempts over 5.2s)');
    assert.equal(givenUp(new Error('once'), 1, 10).message, 'once');
    assert.equal(retriesNote(new Error('once')), '');
  });

  it('retries throttling, server errors and broken connections, not client errors or refused connections', () => {
    for (const code of [429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(code), String(code));
    for (const code of [400, 401, 403, 404, 409, 410, 422]) assert.ok(!isRetryableStatus(code), String(code));
    assert.ok(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' })));
    assert.ok(!isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
    assert.ok(!isRetryableNetworkError(undefined));
  });
});
