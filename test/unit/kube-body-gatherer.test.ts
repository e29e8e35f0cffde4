import assert from 'node:assert/strict';
import { BodyGatherer } from '../../src/kube/body-gatherer.js';

const chunk = (fill: number, size: number) => Buffer.alloc(size, fill);

describe('body gatherer (response bodies gathered into reused buffers)', () => {
  it('gives a one-chunk body as it came, and joins several in order', () => {
    const gatherer = new BodyGatherer(2, 1024, 16);
    const one = gatherer.begin();
    const only = chunk(1, 5);
    one.add(only);
    assert.equal(one.body(), only);
    const many = gatherer.begin();
    for (let i = 0; i < 10; i++) many.add(chunk(i, 7));
    assert.deepEqual(many.body(), Buffer.concat(Array.from({ length: 10 }, (_, i) => chunk(i, 7))));
    assert.deepEqual(gatherer.begin().body(), Buffer.alloc(0));
  });

  it('reuses a released buffer for the next body, never one still in use', () => {
    const gatherer = new BodyGatherer(2, 1024, 64);
    const first = gatherer.begin();
    first.add(chunk(1, 40));
    first.add(chunk(2, 10));
    const firstBuffer = first.body().buffer;
    const second = gatherer.begin();
    second.add(chunk(3, 40));
    second.add(chunk(4, 10));
    assert.notEqual(second.body().buffer, firstBuffer, 'both in use: two buffers');
    assert.deepEqual(first.body(), Buffer.concat([chunk(1, 40), chunk(2, 10)]));
    first.release();
    first.release();
    const third = gatherer.begin();
    third.add(chunk(5, 30));
    third.add(chunk(6, 30));
    assert.equal(third.body().buffer, firstBuffer, 'the released one, once');
    const fourth = gatherer.begin();
    fourth.add(chunk(7, 1));
    fourth.add(chunk(8, 1));
    assert.notEqual(fourth.body().buffer, firstBuffer);
    assert.deepEqual(second.body(), Buffer.concat([chunk(3, 40), chunk(4, 10)]), 'untouched by later bodies');
  });

  it('grows past its buffers for a large body, and does not keep what is too large', () => {
    const gatherer = new BodyGatherer(4, 100, 16);
    const big = gatherer.begin();
    const parts = Array.from({ length: 20 }, (_, i) => chunk(i, 9));
    for (const part of parts) big.add(part);
    assert.deepEqual(big.body(), Buffer.concat(parts));
    const bigBuffer = big.body().buffer;
    big.release();
    const next = gatherer.begin();
    next.add(chunk(1, 9));
    next.add(chunk(2, 9));
    assert.notEqual(next.body().buffer, bigBuffer, 'a buffer over 100 bytes was not kept');
  });
});
