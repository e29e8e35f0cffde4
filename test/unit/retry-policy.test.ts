import assert from 'node:assert/strict';
import { backoffDelay, defaultRetryPolicy, isRetryableNetworkError, isRetryableStatus } from '../../src/kube/retry-policy.js';

describe('retry policy', () => {
  it('grows exponentially with jitter and is capped', () => {
    const policy = { attempts: 10, baseDelayMs: 100, maxDelayMs: 1000 };
    assert.equal(backoffDelay(policy, 1, undefined, () => 0), 50);
    assert.equal(backoffDelay(policy, 1, undefined, () => 1), 100);
    assert.equal(backoffDelay(policy, 3, undefined, () => 1), 400);
    assert.equal(backoffDelay(policy, 9, undefined, () => 1), 1000);
    assert.equal(backoffDelay(policy, 9, undefined, () => 0), 500);
  });

  it("follows the server's Retry-After", () => {
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 2), 2000);
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 0), 0);
    assert.equal(backoffDelay(defaultRetryPolicy, 1, 3600), 60_000, 'a pause beyond a minute is cut to a minute');
    assert.ok(backoffDelay(defaultRetryPolicy, 1, Number.NaN) <= defaultRetryPolicy.baseDelayMs);
  });

  it('retries throttling, server errors and broken connections, not client errors or refused connections', () => {
    for (const code of [429, 500, 502, 503, 504]) assert.ok(isRetryableStatus(code), String(code));
    for (const code of [400, 401, 403, 404, 409, 410, 422]) assert.ok(!isRetryableStatus(code), String(code));
    assert.ok(isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNRESET' })));
    assert.ok(!isRetryableNetworkError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' })));
    assert.ok(!isRetryableNetworkError(undefined));
  });
});
