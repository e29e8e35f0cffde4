import assert from 'node:assert/strict';
import { describeRestore } from '../../src/backup-records/restore-description-text.js';
import { restoreColumns } from '../../src/cli/commands/restore/get.js';
import { renderTable } from '../../src/cli/output.js';
import { sampleRestoreRecord } from './storage-sample-records.js';

describe('restore describe text', () => {
  it('lists warnings and errors by namespace, with control characters from storage made harmless', () => {
    const base = sampleRestoreRecord('r1');
    const record = { ...base, spec: { ...base.spec, includedNamespaces: ['shop\u001b[2J'] }, status: { ...base.status, warnings: 1, errors: 2 } };
    const text = describeRestore(record, {
      warnings: { cluster: ['crd x differs\u001b]0;owned\u0007'], namespaces: {} },
      errors: { cluster: [], namespaces: { shop: ['pods shop/a: 422 Invalid', 'pods shop/b: 409'] } },
    });
    assert.ok(!text.includes('\u001b') && !text.includes('\u0007'), 'no escape sequences reach the terminal');
    assert.match(text, /Warnings: {2}1\n {2}Cluster:\n {4}crd x differs\uFFFD\]0;owned\uFFFD\n {2}Namespaces: {2}<none>/);
    assert.match(text, /Errors: {2}2\n {2}Cluster: {2}<none>\n {2}Namespaces:\n {4}shop:\n {6}pods shop\/a: 422 Invalid\n {6}pods shop\/b: 409/);
    assert.match(text, /Included: {2}shop\uFFFD\[2J/);
  });

  it('lays the filter blocks out as backup describe does', () => {
    const base = sampleRestoreRecord('r1');
    const text = describeRestore({ ...base, spec: { ...base.spec, includeClusterResources: false } }, undefined);
    assert.match(text, /\nResources:\n {2}Included: {8}\S.*\n {2}Excluded: {8}\S.*\n {2}Cluster-scoped: {2}excluded\n/);
    assert.match(text, /\nNamespaces:\n {2}Included: {2}\S.*\n {2}Excluded: {2}\S/);
  });

  it('keeps every field and message of a hostile record on its own line', () => {
    const base = sampleRestoreRecord('r1');
    const record = { ...base, status: { ...base.status, phase: 'Failed' as const, failureReason: 'x\nPhase:        Completed', errors: 1 } };
    const text = describeRestore(record, { warnings: { cluster: [], namespaces: {} }, errors: { cluster: ['boom\nWarnings:  0'], namespaces: {} } });
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('Phase:')), ['Phase:        Failed (x Phase:        Completed)']);
    assert.equal(text.split('\n').filter((l) => l.startsWith('Warnings:')).length, 1);
    assert.match(text, /\n {4}boom Warnings: {2}0\n/);
  });

  it('says when the results artifact could not be read', () => {
    const base = sampleRestoreRecord('r1');
    const record = { ...base, status: { ...base.status, warnings: 3, errors: 0 } };
    const text = describeRestore(record, undefined);
    assert.match(text, /Warnings: {2}3 \(not readable\)/);
    assert.match(text, /Errors: {2}0\n/);
  });

  it("shows the restore's own --ordered-resources", () => {
    const base = sampleRestoreRecord('r1');
    assert.match(describeRestore(base, undefined), /Ordered resources: {8}<none>\n/);
    const record = { ...base, spec: { ...base.spec, orderedResources: { pods: 'ns/a,ns/b', persistentvolumes: 'pv4' } } };
    assert.match(describeRestore(record, undefined), /Ordered resources: {8}pods=ns\/a,ns\/b;persistentvolumes=pv4\n/);
  });

  it('prints times as backup describe and get do', () => {
    const base = sampleRestoreRecord('r1');
    const quick = { ...base, status: { ...base.status, startTimestamp: '2026-12-07T12:14:13.000Z', completionTimestamp: '2026-12-07T12:14:13.084Z' } };
    assert.match(describeRestore(quick, undefined), /^Duration: {5}84ms$/m);
    assert.match(describeRestore(base, undefined), /^Duration: {5}1m0s$/m);
    const table = renderTable([quick], restoreColumns(new Date('2026-12-07T12:20:00Z')));
    assert.match(table, /^r1 .* {3}2026-12-07 12:14:13 \+0000 UTC {3}2026-12-07 12:14:13 \+0000 UTC {3}/m);
  });
});
