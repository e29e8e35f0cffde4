import assert from 'node:assert/strict';
import { jobAction } from '../../src/restore/actions/job-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

const uidLabels = { 'controller-uid': 'u1', 'batch.kubernetes.io/controller-uid': 'u1', 'job-name': 'j', 'batch.kubernetes.io/job-name': 'j' };
const nameLabels = { 'job-name': 'j', 'batch.kubernetes.io/job-name': 'j' };

describe('restore action: Job', () => {
  it('drops the controller-uid labels and the generated selector', () => {
    const item: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j', namespace: 'a', labels: { ...uidLabels } },
      spec: { selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { metadata: { labels: { ...uidLabels } }, spec: {} } },
    };
    jobAction.apply(item, actionContext());
    assert.deepEqual(item.metadata.labels, nameLabels);
    assert.deepEqual(item.spec, { template: { metadata: { labels: nameLabels }, spec: {} } });
  });

  it('keeps a manual selector without its uid labels', () => {
    const item: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'j' },
      spec: { manualSelector: true, selector: { matchLabels: { app: 'x', 'controller-uid': 'u1' } }, template: { metadata: { labels: { app: 'x', 'controller-uid': 'u1' } } } },
    };
    jobAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { manualSelector: true, selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } } } });
  });
});
