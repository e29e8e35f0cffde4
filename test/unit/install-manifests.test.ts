import assert from 'node:assert/strict';
import YAML from 'yaml';
import { isSubset, manifestHash } from '../../src/install/apply.js';
import { crdName, customResourceDefinition } from '../../src/install/crds.js';
import { releasedImage, validateImage } from '../../src/install/image.js';
import { installManifests } from '../../src/install/manifests.js';
import { requireDns1123Label } from '../../src/install/namespace-name.js';
import { objectPath, objectRef } from '../../src/install/object-path.js';
import { productVersion } from '../../src/version.js';
import type { KubeObject } from '../../src/kube/types.js';
import { allowed, type PolicyRule } from '../helpers/rbac-check.js';

interface Rule {
  apiGroups?: string[];
  resources?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

function find(manifests: KubeObject[], kind: string, name?: string): KubeObject {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.metadata.name === name));
  assert.ok(found, `${kind} ${name ?? ''} is in the manifests`);
  return found;
}

describe('install manifests', () => {
  const manifests = installManifests({ namespace: 'backups-ns' });

  it('applies the namespace first, CRDs before the rest, the ServiceAccount before its bindings', () => {
    const order = manifests.map((m) => m.kind);
    assert.equal(order[0], 'Namespace');
    assert.ok(order.lastIndexOf('CustomResourceDefinition') < order.indexOf('ServiceAccount'));
    assert.ok(order.indexOf('ServiceAccount') < order.indexOf('RoleBinding'));
    assert.ok(order.indexOf('ClusterRole') < order.indexOf('ClusterRoleBinding'));
    assert.equal(find(manifests, 'Namespace').metadata.name, 'backups-ns');
  });

  it('defines the three CRDs of kubectl-backup.io/v1 with status, short names and printer columns', () => {
    const crds = manifests.filter((m) => m.kind === 'CustomResourceDefinition');
    assert.deepEqual(crds.map((c) => c.metadata.name), ['backups.kubectl-backup.io', 'restores.kubectl-backup.io', 'backupstoragelocations.kubectl-backup.io']);
    for (const crd of crds) {
      const spec = crd.spec as { group: string; scope: string; names: { shortNames: string[] }; versions: { name: string; served: boolean; storage: boolean; subresources: unknown; schema: { openAPIV3Schema: { type: string } }; additionalPrinterColumns: { name: string; jsonPath: string }[] }[] };
      assert.equal(spec.group, 'kubectl-backup.io');
      assert.equal(spec.scope, 'Namespaced');
      assert.equal(spec.names.shortNames.length, 1);
      assert.equal(spec.versions.length, 1);
      const [v1] = spec.versions;
      assert.equal(v1!.name, 'v1');
      assert.ok(v1!.served && v1!.storage);
      assert.deepEqual(v1!.subresources, { status: {} });
      assert.equal(v1!.schema.openAPIV3Schema.type, 'object');
      assert.ok(v1!.additionalPrinterColumns.some((c) => c.name === 'Age' && c.jsonPath === '.metadata.creationTimestamp'));
    }
    const backups = customResourceDefinition('backups').spec as { versions: { additionalPrinterColumns: { name: string; type: string; jsonPath: string }[] }[] };
    const columns = backups.versions[0]!.additionalPrinterColumns;
    assert.deepEqual(columns.map((c) => c.name), ['Phase', 'Items', 'Expires', 'Location', 'Age']);
    assert.equal(columns.find((c) => c.name === 'Expires')!.type, 'string', 'a future date printed as a date column would read "<invalid>"');
    assert.equal(crdName('restores'), 'restores.kubectl-backup.io');
  });

  it('keeps unknown fields of backup and restore specs and statuses, and types location specs strictly', () => {
    type Props = { properties: Record<string, { 'x-kubernetes-preserve-unknown-fields'?: boolean; required?: string[] }> };
    const schemaOf = (r: 'backups' | 'restores' | 'backupstoragelocations') =>
      (customResourceDefinition(r).spec as { versions: { schema: { openAPIV3Schema: Props } }[] }).versions[0]!.schema.openAPIV3Schema;
    for (const r of ['backups', 'restores'] as const) {
      assert.equal(schemaOf(r).properties.spec!['x-kubernetes-preserve-unknown-fields'], true);
      assert.equal(schemaOf(r).properties.status!['x-kubernetes-preserve-unknown-fields'], true);
    }
    const location = schemaOf('backupstoragelocations').properties.spec!;
    assert.equal(location['x-kubernetes-preserve-unknown-fields'], undefined);
    assert.deepEqual(location.required, ['url']);
  });

  it('gives the runner read-only access to the cluster', () => {
    const role = find(manifests, 'ClusterRole');
    assert.equal(role.metadata.name, 'kubectl-backup-runner:backups-ns');
    for (const rule of role.rules as Rule[]) assert.deepEqual(rule.verbs.filter((v) => v !== 'get' && v !== 'list'), [], JSON.stringify(rule));
    const binding = find(manifests, 'ClusterRoleBinding');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'kubectl-backup-runner', namespace: 'backups-ns' }]);
    assert.deepEqual(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kubectl-backup-runner:backups-ns' });
  });

  it('grants the runner no get outside the tool namespace: RBAC\'s `*` would match pods/exec and nodes/proxy too', () => {
    const rulesOf = (kind: string) => find(manifests, kind).rules as PolicyRule[];
    const clusterRules = rulesOf('ClusterRole');
    for (const rule of clusterRules.filter((r) => r.resources !== undefined)) assert.deepEqual(rule.verbs, ['list'], JSON.stringify(rule));
    const can = (method: string, path: string, query = '') => allowed({ method, path, query }, clusterRules, rulesOf('Role'), 'backups-ns');
    for (const path of [
      '/api/v1/nodes/node-1/proxy/run/default/p/c',
      '/api/v1/nodes/node-1/proxy',
      '/api/v1/namespaces/default/pods/p/exec',
      '/api/v1/namespaces/default/pods/p/attach',
      '/api/v1/namespaces/default/pods/p/portforward',
      '/api/v1/namespaces/default/services/s/proxy',
      '/api/v1/namespaces/backups-ns/pods/p/exec',
    ]) {
      assert.equal(can('GET', path), false, path);
    }
    assert.equal(can('GET', '/api/v1/namespaces/default/secrets/s'), false, 'objects are listed by name, never read with get');
    assert.equal(can('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com'), false);
    assert.equal(can('GET', '/api/v1/namespaces/default/configmaps', 'fieldSelector=metadata.name%3Dcm'), true, 'a LIST by name');
    assert.equal(can('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', 'fieldSelector=metadata.name%3Dwidgets.example.com'), true);
    assert.equal(can('GET', '/api/v1/namespaces/default/configmaps', 'watch=true'), false, 'no watch');
    assert.equal(can('GET', '/apis'), true, 'discovery');
  });

  it('lets the runner read its CronJobs, locations and Secrets and write only what a scheduled run writes in the tool namespace', () => {
    const role = find(manifests, 'Role');
    assert.equal(role.metadata.namespace, 'backups-ns');
    const rules = role.rules as Rule[];
    const verbsOn = (group: string, resource: string) => rules.filter((r) => r.apiGroups?.includes(group) && r.resources?.includes(resource)).flatMap((r) => r.verbs).sort();
    assert.deepEqual(verbsOn('batch', 'cronjobs'), ['get']);
    assert.deepEqual(verbsOn('', 'secrets'), ['get']);
    assert.deepEqual(verbsOn('', 'configmaps'), []);
    // Its Backup object: created, a dead run's replaced (read, delete), its status patched; expired ones deleted.
    assert.deepEqual(verbsOn('kubectl-backup.io', 'backups'), ['create', 'delete', 'get']);
    assert.deepEqual(verbsOn('kubectl-backup.io', 'backups/status'), ['patch']);
    // Restores are only deleted with the backups gc expires.
    assert.deepEqual(verbsOn('kubectl-backup.io', 'restores'), ['delete']);
    assert.deepEqual(verbsOn('kubectl-backup.io', 'restores/status'), []);
    // A location is configuration, not a record: a run that could rewrite one could send later backups elsewhere.
    assert.deepEqual(verbsOn('kubectl-backup.io', 'backupstoragelocations'), ['get']);
    assert.deepEqual(verbsOn('kubectl-backup.io', 'backupstoragelocations/status'), []);
    for (const rule of rules) assert.deepEqual(rule.verbs.filter((v) => ['watch', 'update', '*', 'deletecollection'].includes(v)), [], 'no watch is sent, and nothing is replaced');
    for (const rule of rules.filter((r) => !r.apiGroups?.includes('kubectl-backup.io'))) {
      assert.deepEqual(rule.verbs.filter((v) => !['get', 'list'].includes(v)), [], 'writes only on its own records');
    }
    const binding = find(manifests, 'RoleBinding');
    assert.deepEqual(binding.subjects, [{ kind: 'ServiceAccount', name: 'kubectl-backup-runner', namespace: 'backups-ns' }]);
  });

  it('stores --image in the settings ConfigMap, and no image without it (a schedule then runs its own version)', () => {
    assert.deepEqual(find(manifests, 'ConfigMap', 'kubectl-backup').data, {});
    const withImage = installManifests({ namespace: 'x', image: 'registry.local:5000/kb:dev' });
    assert.deepEqual(find(withImage, 'ConfigMap', 'kubectl-backup').data, { image: 'registry.local:5000/kb:dev' });
  });

  it('prints as multi-document YAML that parses back to the same objects', () => {
    const text = manifests.map((m) => YAML.stringify(m)).join('---\n');
    const docs = YAML.parseAllDocuments(text).map((d) => d.toJSON() as KubeObject);
    assert.deepEqual(docs, manifests);
  });

  it('names REST paths and kubectl-style references', () => {
    assert.equal(objectPath(find(manifests, 'Role')), '/apis/rbac.authorization.k8s.io/v1/namespaces/backups-ns/roles');
    assert.equal(objectPath(find(manifests, 'Namespace'), true), '/api/v1/namespaces/backups-ns');
    assert.equal(objectPath(find(manifests, 'ClusterRole'), true), '/apis/rbac.authorization.k8s.io/v1/clusterroles/kubectl-backup-runner%3Abackups-ns');
    assert.equal(objectRef(find(manifests, 'CustomResourceDefinition')), 'customresourcedefinition.apiextensions.k8s.io/backups.kubectl-backup.io');
    assert.equal(objectRef(find(manifests, 'ServiceAccount')), 'serviceaccount/kubectl-backup-runner');
  });
});

describe('install inputs', () => {
  it('defaults the image to the release of the same version', () => {
    assert.equal(releasedImage(), `ghcr.io/kubectl-backup/kubectl-backup:v${productVersion}`);
  });

  it('accepts image references and refuses what a kubelet could not pull', () => {
    for (const ok of ['busybox', 'ghcr.io/kubectl-backup/kubectl-backup:v0.1.0', 'localhost:5000/a/b_c:dev', `repo@sha256:${'a'.repeat(64)}`, 'registry.example.com/x:1.2-rc.1']) {
      assert.equal(validateImage(ok), ok);
    }
    for (const bad of ['', 'Upper/Case', 'repo:', 'repo:tag with space', '-x', 'a//b', 'repo@sha256:short']) {
      assert.throws(() => validateImage(bad), /invalid --image ".*": not a container image reference/);
    }
  });

  it('refuses a namespace that is not a DNS-1123 label', () => {
    assert.equal(requireDns1123Label('--namespace', 'kubectl-backup'), 'kubectl-backup');
    assert.throws(() => requireDns1123Label('--namespace', 'Bad_NS'), /invalid --namespace "Bad_NS": it must consist/);
    assert.throws(() => requireDns1123Label('--namespace', 'a'.repeat(64)), /at most 63/);
  });
});

describe('apply: desired state as a subset of the live object', () => {
  it('ignores fields the API server adds and sees real changes', () => {
    assert.ok(isSubset({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2], d: 3 }, e: 4 }));
    assert.ok(!isSubset({ a: 1 }, { a: 2 }));
    assert.ok(!isSubset({ l: [1, 2] }, { l: [1, 2, 3] }), 'lists are replaced, not merged');
    assert.ok(isSubset({ l: [{ x: 1 }] }, { l: [{ x: 1, y: 2 }] }));
    assert.ok(isSubset({ m: {} }, {}), 'an empty map comes back as no field');
    assert.ok(!isSubset({ m: { a: '1' } }, {}));
  });

  it('tells manifests apart by hash, a key dropped as much as one changed', () => {
    const role = (rule: Record<string, string[]>): KubeObject => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [rule] });
    const narrow = role({ apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] });
    const wide = role({ apiGroups: [''], resources: ['secrets'], verbs: ['get'] });
    assert.equal(manifestHash(narrow), manifestHash(role({ apiGroups: [''], resources: ['secrets'], resourceNames: ['one'], verbs: ['get'] })));
    assert.ok(isSubset(wide, narrow), 'the fields alone do not see the dropped key');
    assert.notEqual(manifestHash(wide), manifestHash(narrow));
    assert.match(manifestHash(narrow), /^[0-9a-f]{64}$/);
  });
});
