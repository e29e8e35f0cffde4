import assert from 'node:assert/strict';
import { roleBindingAction } from '../../src/restore/actions/role-binding-action.js';
import type { KubeObject } from '../../src/kube/types.js';
import { actionContext } from '../builders/restore-action-context.js';

const subjects = () => [
  { kind: 'ServiceAccount', name: 'app', namespace: 'a' },
  { kind: 'ServiceAccount', name: 'other', namespace: 'c' },
  { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
];

describe('restore action: RoleBinding and ClusterRoleBinding', () => {
  for (const kind of ['RoleBinding', 'ClusterRoleBinding']) {
    it(`maps subjects' namespaces of a ${kind}`, () => {
      assert.ok(roleBindingAction.kinds.includes(kind));
      const item: KubeObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'rb' }, roleRef: { kind: 'ClusterRole', name: 'view' }, subjects: subjects() };
      roleBindingAction.apply(item, actionContext({ mappings: { a: 'b' } }));
      assert.deepEqual(item.subjects, [
        { kind: 'ServiceAccount', name: 'app', namespace: 'b' },
        { kind: 'ServiceAccount', name: 'other', namespace: 'c' },
        { kind: 'User', name: 'jane', apiGroup: 'rbac.authorization.k8s.io' },
      ]);
    });
  }
});
