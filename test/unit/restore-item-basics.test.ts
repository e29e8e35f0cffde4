import assert from 'node:assert/strict';
import { applyRestoreActions } from '../../src/restore/actions/action-registry.js';
import { parseNamespaceMappings } from '../../src/restore/namespace-mappings.js';
import { addRestoreLabels, labelValue, restoreLabels } from '../../src/restore/restore-labels.js';
import { stripServerFields } from '../../src/restore/server-fields.js';
import { BadInputError } from '../../src/errors.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

describe('restore: item basics', () => {
  it('strips what the server sets and status', () => {
    const item: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'c', namespace: 'a', uid: 'u', resourceVersion: '7', generation: 2, creationTimestamp: 't', deletionTimestamp: 't', deletionGracePeriodSeconds: 30,
        selfLink: '/x', managedFields: [{}], labels: { k: 'v' }, finalizers: ['f'],
      },
      data: { x: 'y' },
      status: { phase: 'x' },
    };
    assert.deepEqual(stripServerFields(item), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'a', labels: { k: 'v' }, finalizers: ['f'] }, data: { x: 'y' } });
  });

  it('labels every object with the backup and restore names, long values shortened with a hash', () => {
    assert.equal(labelValue('nightly'), 'nightly');
    assert.equal(labelValue('x'.repeat(63)), 'x'.repeat(63));
    const long = 'a'.repeat(70);
    const shortened = labelValue(long);
    assert.equal(shortened.length, 63);
    assert.equal(shortened.slice(0, 57), 'a'.repeat(57));
    assert.match(shortened.slice(57), /^[0-9a-f]{6}$/);
    assert.notEqual(labelValue('a'.repeat(69) + 'b'), shortened);
    const item: KubeObject = { metadata: { name: 'c', labels: { app: 'x' } } };
    addRestoreLabels(item, restoreLabels('b1', long));
    assert.deepEqual(item.metadata.labels, { app: 'x', 'kubectl-backup.io/backup-name': 'b1', 'kubectl-backup.io/restore-name': shortened });
  });

  it('parses --namespace-mappings, repeated and comma-separated', () => {
    assert.deepEqual([...parseNamespaceMappings(['a:b, c:d', 'e:f'])], [['a', 'b'], ['c', 'd'], ['e', 'f']]);
    assert.deepEqual([...parseNamespaceMappings(undefined)], []);
  });

  for (const [value, message] of [
    ['a', /"a" is not src:dst/],
    ['a:b:c', /"a:b:c" is not src:dst/],
    [':b', /":b" is not src:dst/],
    ['A:b', /"A" in "A:b" is not a namespace name/],
    ['a:b.c', /"b\.c" in "a:b\.c" is not a namespace name/],
    [`a:${'x'.repeat(64)}`, /at most 63/],
    ['a:b,a:c', /namespace "a" is mapped twice/],
    ['a:c,b:c', /"a" and "b" are both mapped to "c"/],
  ] as const) {
    it(`refuses --namespace-mappings ${value.slice(0, 20)}`, () => {
      assert.throws(() => parseNamespaceMappings(value), (err: unknown) => err instanceof BadInputError && message.test(err.message));
    });
  }

  it('runs only the actions of the item\'s group and kind', () => {
    const service: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.0.0.1' } };
    applyRestoreActions(service, actionContext());
    assert.deepEqual(service.spec, {});
    const lookalike: KubeObject = { apiVersion: 'example.com/v1', kind: 'Service', metadata: { name: 's' }, spec: { clusterIP: '10.0.0.1' } };
    applyRestoreActions(lookalike, actionContext());
    assert.deepEqual(lookalike.spec, { clusterIP: '10.0.0.1' });
  });
});
