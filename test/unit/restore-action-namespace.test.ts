import assert from 'node:assert/strict';
import { namespaceAction } from '../../src/restore/actions/namespace-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

describe('restore action: Namespace', () => {
  it('maps the name and keeps labels and annotations, the name label following the name', () => {
    const item: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'a', labels: { team: 'x', 'kubernetes.io/metadata.name': 'a' }, annotations: { note: 'y' } },
      spec: { finalizers: ['kubernetes'] },
    };
    namespaceAction.apply(item, actionContext({ mappings: { a: 'b' } }));
    assert.deepEqual(item.metadata, { name: 'b', labels: { team: 'x', 'kubernetes.io/metadata.name': 'b' }, annotations: { note: 'y' } });
  });

  it('leaves an unmapped namespace as it is', () => {
    const item: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'c' } };
    namespaceAction.apply(item, actionContext({ mappings: { a: 'b' } }));
    assert.deepEqual(item.metadata, { name: 'c' });
  });
});
