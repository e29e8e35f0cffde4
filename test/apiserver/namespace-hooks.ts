import type { KubeObject } from './object-meta.js';
import type { KindHooks } from './write-context.js';

const NAME_LABEL = 'kubernetes.io/metadata.name';

function enforceNameLabel(obj: KubeObject): void {
  obj.metadata.labels = { ...(obj.metadata.labels ?? {}), [NAME_LABEL]: obj.metadata.name ?? '' };
}

/**
 * Namespaces: the name label and the `kubernetes` finalizer the server always sets, phase
 * Active, and what the service-account and root-CA controllers create in every namespace.
 */
export const namespaceHooks: KindHooks = {
  prepareCreate(obj) {
    enforceNameLabel(obj);
    obj.spec = { finalizers: ['kubernetes'] };
    obj.status = { phase: 'Active' };
  },
  prepareUpdate(obj, old) {
    enforceNameLabel(obj);
    obj.spec = old.spec;
  },
  afterCreate(obj, ctx) {
    const namespace = obj.metadata.name ?? '';
    ctx.host.createInternal({
      apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace },
    }, 'kube-controller-manager');
    ctx.host.createInternal({
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'kube-root-ca.crt', namespace, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.' } },
      data: { 'ca.crt': ctx.host.caPem },
    }, 'kube-controller-manager');
  },
};
