import assert from 'node:assert/strict';
import { runPool } from '../../src/restore/run-pool.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('restore: bounded pool', () => {
  it('runs every item with at most N in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await tick();
      done.push(n);
      inFlight--;
    });
    assert.deepEqual(done.sort(), [1, 2, 3, 4, 5, 6, 7]);
    assert.equal(most, 3);
  });

  it('stops taking items after an error, and throws it once those in flight are done', async () => {
    const started: number[] = [];
    let finished = 0;
    await assert.rejects(
      runPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
        started.push(n);
        await tick();
        if (n === 2) throw new Error('boom');
        await tick();
        finished++;
      }),
      /boom/,
    );
    assert.deepEqual(started, [1, 2]);
    assert.equal(finished, 1);
  });
});
