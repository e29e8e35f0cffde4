import assert from 'node:assert/strict';
import { interruptOnSignals } from '../../src/cli/interrupt-on-signals.js';

describe('interruptOnSignals', () => {
  const listeners = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];

  it('aborts with the reason for the first signal, and leaves the next one of either kind to Node', () => {
    const before = listeners();
    const interrupt = interruptOnSignals((signal) => new Error(`interrupted by ${signal}`));
    assert.deepEqual(listeners(), before.map((n) => n + 1));
    process.emit('SIGTERM', 'SIGTERM');
    assert.ok(interrupt.signal.aborted);
    assert.equal((interrupt.signal.reason as Error).message, 'interrupted by SIGTERM');
    // No listener of ours is left: a SIGINT now ends the process, as Node's default does.
    assert.deepEqual(listeners(), before);
    interrupt.dispose();
  });

  it('stops listening when disposed, without aborting', () => {
    const before = listeners();
    const interrupt = interruptOnSignals(() => new Error('never'));
    interrupt.dispose();
    assert.deepEqual(listeners(), before);
    assert.equal(interrupt.signal.aborted, false);
  });
});
