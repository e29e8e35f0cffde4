import assert from 'node:assert/strict';
import { refreshedEvery } from '../../src/kube/refreshed-every.js';

describe('refreshedEvery (auth headers worked out at most once a second)', () => {
  it('reuses a result until its time is up, then loads again', async () => {
    let clock = 0;
    let loads = 0;
    const headers = refreshedEvery(1000, () => Promise.resolve(`token-${++loads}`), () => clock);
    assert.equal(await headers(), 'token-1');
    clock = 999;
    assert.equal(await headers(), 'token-1');
    clock = 1000;
    assert.equal(await headers(), 'token-2');
    assert.equal(loads, 2);
  });

  it('shares one load between calls made while it runs', async () => {
    let loads = 0;
    const headers = refreshedEvery(1000, async () => `token-${++loads}`, () => 0);
    assert.deepEqual(await Promise.all([headers(), headers(), headers()]), ['token-1', 'token-1', 'token-1']);
    assert.equal(loads, 1);
  });

  it('does not keep a failure: the next call loads again', async () => {
    let loads = 0;
    const headers = refreshedEvery(1000, () => (++loads === 1 ? Promise.reject(new Error('exec plugin failed')) : Promise.resolve('token')), () => 0);
    await assert.rejects(headers(), /exec plugin failed/);
    assert.equal(await headers(), 'token');
    assert.equal(loads, 2);
  });
});
