import assert from 'node:assert/strict';
import { isAdmissionResource, mergeOrderedResources, orderItems, orderResources } from '../../src/restore/restore-order.js';

describe('restore: order', () => {
  it('puts CRDs first, then the priority list, then the rest by resource.group', () => {
    assert.deepEqual(
      orderResources([
        'widgets.example.com',
        'deployments.apps',
        'replicasets.apps',
        'pods',
        'configmaps',
        'customresourcedefinitions.apiextensions.k8s.io',
        'namespaces',
        'cronjobs.batch',
        'secrets',
        'services',
        'serviceaccounts',
        'rolebindings.rbac.authorization.k8s.io',
        'roles.rbac.authorization.k8s.io',
        'persistentvolumeclaims',
        'persistentvolumes',
        'storageclasses.storage.k8s.io',
        'clusterroles.rbac.authorization.k8s.io',
        'clusterrolebindings.rbac.authorization.k8s.io',
        'limitranges',
        'resourcequotas',
        'priorityclasses.scheduling.k8s.io',
        'apples.a.example',
      ]),
      [
        'customresourcedefinitions.apiextensions.k8s.io',
        'namespaces',
        'storageclasses.storage.k8s.io',
        'persistentvolumes',
        'persistentvolumeclaims',
        'clusterroles.rbac.authorization.k8s.io',
        'roles.rbac.authorization.k8s.io',
        'serviceaccounts',
        'clusterrolebindings.rbac.authorization.k8s.io',
        'rolebindings.rbac.authorization.k8s.io',
        'secrets',
        'configmaps',
        'limitranges',
        'resourcequotas',
        'priorityclasses.scheduling.k8s.io',
        'services',
        'pods',
        'replicasets.apps',
        'apples.a.example',
        'cronjobs.batch',
        'deployments.apps',
        'widgets.example.com',
      ],
    );
  });

  it('restores admission configuration after every other type, policies before webhooks', () => {
    assert.deepEqual(
      orderResources([
        'validatingwebhookconfigurations.admissionregistration.k8s.io',
        'statefulsets.apps',
        'mutatingwebhookconfigurations.admissionregistration.k8s.io',
        'validatingadmissionpolicybindings.admissionregistration.k8s.io',
        'deployments.apps',
        'zookeepers.zz.example',
        'validatingadmissionpolicies.admissionregistration.k8s.io',
        'networkpolicies.networking.k8s.io',
        'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
        'poddisruptionbudgets.policy',
        'mutatingadmissionpolicies.admissionregistration.k8s.io',
        'configmaps',
        'customresourcedefinitions.apiextensions.k8s.io',
      ]),
      [
        'customresourcedefinitions.apiextensions.k8s.io',
        'configmaps',
        'deployments.apps',
        'networkpolicies.networking.k8s.io',
        'poddisruptionbudgets.policy',
        'statefulsets.apps',
        'zookeepers.zz.example',
        'validatingadmissionpolicies.admissionregistration.k8s.io',
        'validatingadmissionpolicybindings.admissionregistration.k8s.io',
        'mutatingadmissionpolicies.admissionregistration.k8s.io',
        'mutatingadmissionpolicybindings.admissionregistration.k8s.io',
        'validatingwebhookconfigurations.admissionregistration.k8s.io',
        'mutatingwebhookconfigurations.admissionregistration.k8s.io',
      ],
    );
    assert.ok(isAdmissionResource('mutatingwebhookconfigurations.admissionregistration.k8s.io'));
    assert.ok(!isAdmissionResource('deployments.apps'));
  });

  it('orders items of a type by --ordered-resources, then namespace and name', () => {
    const items = [
      { namespace: 'b', name: 'x' },
      { namespace: 'a', name: 'z' },
      { namespace: 'a', name: 'y' },
      { namespace: 'b', name: 'a' },
    ];
    assert.deepEqual(orderItems(items).items.map((i) => `${i.namespace}/${i.name}`), ['a/y', 'a/z', 'b/a', 'b/x']);
    const { items: ordered, missing } = orderItems(items, ['b/x', 'a/z', 'c/gone']);
    assert.deepEqual(ordered.map((i) => `${i.namespace}/${i.name}`), ['b/x', 'a/z', 'a/y', 'b/a']);
    assert.deepEqual(missing, ['c/gone']);
  });

  it('lists cluster-scoped items by name', () => {
    const pvs = [{ namespace: undefined, name: 'pv8' }, { namespace: undefined, name: 'pv1' }, { namespace: undefined, name: 'pv4' }];
    assert.deepEqual(orderItems(pvs, ['pv4']).items.map((i) => i.name), ['pv4', 'pv1', 'pv8']);
  });

  it("merges the restore's --ordered-resources into the backup's per resource, the restore's winning for a resource both name", () => {
    const names: Record<string, string[]> = { cm: ['configmaps'], configmaps: ['configmaps'], pv: ['persistentvolumes'], pods: ['pods'], nothing: [] };
    const merged = mergeOrderedResources({ cm: ['ns/a', 'ns/b'], pv: ['pv4', 'pv8'] }, { configmaps: ['ns/c'], pods: ['ns/p'], nothing: ['x'] }, (name) => names[name] ?? []);
    assert.deepEqual(Object.fromEntries(merged), { configmaps: ['ns/c'], persistentvolumes: ['pv4', 'pv8'], pods: ['ns/p'] });
  });
});
