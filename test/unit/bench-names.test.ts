import assert from 'node:assert/strict';
import { BenchNames, benchLabel, benchPrefix } from '../../bench/bench-names.js';

describe('benchmark run names and labels (what a --cluster run may touch)', () => {
  const names = new BenchNames('a1b2c3');

  it('names everything of a run under kubectl-backup-bench-RUN- and labels it kubectl-backup.io/bench=RUN', () => {
    assert.equal(benchPrefix, 'kubectl-backup-bench-');
    assert.equal(benchLabel, 'kubectl-backup.io/bench');
    assert.equal(names.name('src-3'), 'kubectl-backup-bench-a1b2c3-src-3');
    assert.deepEqual(names.labels, { 'kubectl-backup.io/bench': 'a1b2c3' });
    assert.equal(names.selector, 'kubectl-backup.io/bench=a1b2c3');
    assert.deepEqual(names.namespace('07'), {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'kubectl-backup-bench-a1b2c3-07', labels: { 'kubectl-backup.io/bench': 'a1b2c3' } },
    });
  });

  it('owns its own names only: not another run, not the bare prefix, not the user\'s namespaces', () => {
    assert.ok(names.owns('kubectl-backup-bench-a1b2c3-restored1-9'));
    assert.ok(!names.owns('kubectl-backup-bench-a1b2c3-'));
    assert.ok(!names.owns('kubectl-backup-bench-zzzzzz-src-1'));
    assert.ok(!names.owns('kubectl-backup-bench-a1b2c'));
    assert.ok(!names.owns('default'));
    assert.ok(!names.owns('kube-system'));
    assert.ok(!names.owns('x-kubectl-backup-bench-a1b2c3-src-1'));
  });

  it('refuses names that are not namespace names (DNS-1123 labels of at most 63 characters)', () => {
    assert.throws(() => names.name('Upper'), /not a DNS-1123 label/);
    assert.throws(() => names.name('trailing-'), /not a DNS-1123 label/);
    assert.throws(() => names.name('x'.repeat(36)), /not a DNS-1123 label/);
    assert.equal(names.name('x'.repeat(35)).length, 63);
  });

  it('makes random run ids of 6 lowercase letters or digits, and refuses other ids', () => {
    const ids = new Set(Array.from({ length: 50 }, () => BenchNames.random().runId));
    for (const id of ids) assert.match(id, /^[a-z0-9]{6}$/);
    assert.ok(ids.size > 45, 'ids repeat far too often');
    for (const bad of ['', 'abc', 'ABCDEF', 'abc-de', 'abcdefg']) assert.throws(() => new BenchNames(bad), /invalid benchmark run id/);
  });
});
