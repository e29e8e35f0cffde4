import assert from 'node:assert/strict';
import { podAction } from '../../src/restore/actions/pod-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

/** A Pod named p with this spec, in `namespace` when given. */
function pod(spec: Record<string, unknown>, namespace?: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', ...(namespace !== undefined ? { namespace } : {}) }, spec };
}

describe('restore action: Pod', () => {
  it('clears nodeName and drops the projected kube-api-access volume and its mounts', () => {
    const item = pod(
      {
        nodeName: 'node-1',
        volumes: [{ name: 'data', emptyDir: {} }, { name: 'kube-api-access-x7k2p', projected: { sources: [] } }],
        initContainers: [{ name: 'init', volumeMounts: [{ name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
        containers: [{ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }, { name: 'kube-api-access-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
      },
      'a',
    );
    podAction.apply(item, actionContext());
    assert.deepEqual(item.spec, {
      volumes: [{ name: 'data', emptyDir: {} }],
      initContainers: [{ name: 'init', volumeMounts: [] }],
      containers: [{ name: 'c', volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    });
  });

  it('keeps a volume named like the token volume that is not projected', () => {
    const item = pod({ volumes: [{ name: 'kube-api-access-mine', emptyDir: {} }], containers: [] });
    podAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { volumes: [{ name: 'kube-api-access-mine', emptyDir: {} }], containers: [] });
  });

  it('drops ephemeral containers, which the API server refuses on create', () => {
    const item = pod({ containers: [{ name: 'c', image: 'app' }], ephemeralContainers: [{ name: 'debugger-x1', image: 'busybox', targetContainerName: 'c' }] });
    podAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { containers: [{ name: 'c', image: 'app' }] });
  });

  it('drops the priority, which admission computes from the PriorityClass of this cluster, and keeps the class name', () => {
    const item = pod({ priorityClassName: 'batch', priority: 1000, containers: [] });
    podAction.apply(item, actionContext());
    assert.deepEqual(item.spec, { priorityClassName: 'batch', containers: [] });
  });

  it("drops volumes of service-account token Secrets (by the token controller's name, or the backup's token Secrets) and their mounts", () => {
    const item = pod(
      {
        serviceAccountName: 'app',
        volumes: [
          { name: 'app-token-x7k2p', secret: { secretName: 'app-token-x7k2p', defaultMode: 420 } },
          { name: 'extra', secret: { secretName: 'long-lived' } },
          { name: 'config', secret: { secretName: 'app-config' } },
        ],
        containers: [{ name: 'c', volumeMounts: [{ name: 'app-token-x7k2p', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }, { name: 'extra', mountPath: '/t' }, { name: 'config', mountPath: '/etc/app' }] }],
      },
      'a',
    );
    podAction.apply(item, actionContext({ tokenSecrets: ['a/long-lived'] }));
    assert.deepEqual(item.spec, {
      serviceAccountName: 'app',
      volumes: [{ name: 'config', secret: { secretName: 'app-config' } }],
      containers: [{ name: 'c', volumeMounts: [{ name: 'config', mountPath: '/etc/app' }] }],
    });
  });
});
