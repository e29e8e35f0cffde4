import assert from 'node:assert/strict';
import { crdKey, planBackup, withCrds, type BackupPlan } from '../../src/backup/backup-plan.js';
import { defaultFilters, type BackupFilters } from '../../src/backup/backup-request.js';
import { Discovery } from '../../src/kube/discovery.js';
import { apiResource } from '../builders/api-resources.js';

const discovery = Discovery.fromResources([
  apiResource({ resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] }),
  apiResource({ resource: 'configmaps', kind: 'ConfigMap', shortNames: ['cm'] }),
  apiResource({ resource: 'secrets', kind: 'Secret' }),
  apiResource({ resource: 'events', kind: 'Event', shortNames: ['ev'] }),
  apiResource({ resource: 'events', kind: 'Event', group: 'events.k8s.io' }),
  apiResource({ resource: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'] }),
  apiResource({ resource: 'customresourcedefinitions', kind: 'CustomResourceDefinition', group: 'apiextensions.k8s.io', namespaced: false, shortNames: ['crd'] }),
  apiResource({ resource: 'statefulsets', kind: 'StatefulSet', group: 'apps', shortNames: ['sts'] }),
  apiResource({ resource: 'widgets', kind: 'Widget', group: 'example.com', version: 'v2' }),
  apiResource({ resource: 'widgets', kind: 'Widget', group: 'example.com', version: 'v1', preferred: false }),
  apiResource({ resource: 'tokenreviews', kind: 'TokenReview', group: 'authentication.k8s.io', namespaced: false, verbs: ['create'] }),
]);

const scan = { all: ['app-a', 'app-b', 'db', 'kube-system', 'quiet'], excludedByLabel: new Set(['quiet']) };
const plan = (filters: Partial<BackupFilters> = {}): BackupPlan => planBackup(discovery, { ...defaultFilters, ...filters }, scan);
const keys = (p: BackupPlan) => p.types.map((t) => t.key);

describe('backup plan', () => {
  it('takes every candidate once, cluster-scoped first, each group by resource.group, preferred versions', () => {
    const p = plan();
    assert.deepEqual(keys(p), ['customresourcedefinitions.apiextensions.k8s.io', 'namespaces', 'persistentvolumes', 'configmaps', 'events', 'secrets', 'statefulsets.apps', 'widgets.example.com']);
    assert.equal(p.types.find((t) => t.key === 'widgets.example.com')?.resource.version, 'v2');
    assert.equal(p.addCrds, false, 'CRDs are taken whole already');
  });

  it('takes the Namespace objects of included namespaces only, never a labelled one', () => {
    const p = plan({ includeNamespaces: ['app-*'] });
    assert.deepEqual([...p.types.find((t) => t.key === 'namespaces')!.names!], ['app-a', 'app-b']);
    assert.deepEqual(p.includedNamespaces, ['app-a', 'app-b']);
    assert.ok(!plan().includedNamespaces.includes('quiet'));
  });

  it('errs on a namespace named in --include-namespaces that does not exist, not on a glob that matches nothing (Velero 1.14)', () => {
    const p = plan({ includeNamespaces: ['app-a', 'shop', 'web-*', 'quiet', 'shop'] });
    assert.deepEqual(p.errors, ['--include-namespaces: namespace shop does not exist']);
    assert.deepEqual(p.includedNamespaces, ['app-a']);
    assert.deepEqual(plan().errors, []);
    assert.deepEqual(plan({ includeNamespaces: ['*'], excludeNamespaces: ['gone'] }).errors, [], 'an excluded name need not exist');
  });

  it('takes cluster-scoped resources per --include-cluster-resources', () => {
    assert.ok(!keys(plan({ includeNamespaces: ['app-a'] })).includes('persistentvolumes'), 'unset with a namespace filter: none');
    assert.ok(keys(plan({ includeNamespaces: ['app-a'], includeClusterResources: true })).includes('persistentvolumes'));
    const none = plan({ includeClusterResources: false });
    assert.deepEqual(none.types.filter((t) => !t.resource.namespaced).map((t) => t.key), ['namespaces']);
    assert.equal(none.addCrds, false, 'false refuses CRDs too');
    assert.ok(!keys(plan({ excludeNamespaces: ['db'] })).includes('persistentvolumes'), 'an exclusion means not every namespace');
  });

  it('adds CRDs for custom resources unless they are excluded', () => {
    const p = plan({ includeNamespaces: ['app-a'] });
    assert.equal(p.addCrds, true);
    const added = withCrds(p, discovery, new Set(['widgets.example.com']));
    const crds = added.types.find((t) => t.key === crdKey)!;
    assert.deepEqual([...crds.names!], ['widgets.example.com']);
    assert.ok(keys(added).indexOf(crdKey) < keys(added).indexOf('configmaps'));
    assert.equal(plan({ includeNamespaces: ['app-a'], excludeResources: ['crd'] }).addCrds, false);
  });

  it('adds the CRDs of custom resources to the CRD type when a selector lists it, rather than a second CRD type', () => {
    for (const selectors of [{ labelSelector: 'app=web' }, { orSelectors: ['app=web', 'tier=db'] }]) {
      const p = plan(selectors);
      assert.equal(p.addCrds, true, JSON.stringify(selectors));
      const added = withCrds(p, discovery, new Set(['widgets.example.com']));
      const crds = added.types.filter((t) => t.key === crdKey);
      assert.equal(crds.length, 1);
      assert.deepEqual([...crds[0]!.alsoNames!], ['widgets.example.com']);
      assert.equal(crds[0]!.names, undefined, 'the CRDs the selector lists are still taken');
    }
    assert.equal(plan({ labelSelector: 'app=web', excludeResources: ['crd'] }).addCrds, false);
  });

  it('resolves resource names as kubectl does; unknown names and unbackupable resources are warnings', () => {
    const p = plan({ includeResources: ['cm', 'StatefulSet', 'nope', 'tokenreviews', 'events.events.k8s.io'] });
    assert.deepEqual(keys(p), ['namespaces', 'configmaps', 'events', 'statefulsets.apps']);
    assert.equal(p.warnings.length, 2);
    assert.match(p.warnings[0]!, /"nope" matches no resource/);
    assert.match(p.warnings[1]!, /tokenreviews.*cannot be backed up/);
  });

  it('takes a resource its group serves only in a version other than the preferred one, by any name', () => {
    const istio = Discovery.fromResources([
      apiResource({ resource: 'namespaces', kind: 'Namespace', namespaced: false }),
      apiResource({ resource: 'virtualservices', kind: 'VirtualService', group: 'networking.istio.io', version: 'v1' }),
      apiResource({ resource: 'envoyfilters', kind: 'EnvoyFilter', group: 'networking.istio.io', version: 'v1alpha3', preferred: false }),
    ]);
    const all = planBackup(istio, defaultFilters, scan);
    assert.equal(all.types.find((t) => t.key === 'envoyfilters.networking.istio.io')?.resource.version, 'v1alpha3');
    for (const name of ['envoyfilters', 'EnvoyFilter', 'envoyfilters.networking.istio.io']) {
      const p = planBackup(istio, { ...defaultFilters, includeResources: [name] }, scan);
      assert.deepEqual(keys(p), ['namespaces', 'envoyfilters.networking.istio.io'], name);
      assert.deepEqual(p.warnings, [], name);
    }
  });

  it('lets --exclude-resources win, and never excludes Namespace objects unless named', () => {
    assert.ok(!keys(plan({ includeResources: ['secrets'], excludeResources: ['secrets'] })).includes('secrets'));
    assert.ok(keys(plan({ includeResources: ['secrets'] })).includes('namespaces'));
    assert.ok(!keys(plan({ excludeResources: ['ns'] })).includes('namespaces'));
  });

  it('lists namespaced types across namespaces when most are in, per namespace otherwise and with --or-selector', () => {
    assert.deepEqual(plan().types.find((t) => t.key === 'configmaps')!.scope, { kind: 'all-namespaces', only: new Set(['app-a', 'app-b', 'db', 'kube-system']) });
    assert.deepEqual(plan({ includeNamespaces: ['db'] }).types.find((t) => t.key === 'configmaps')!.scope, { kind: 'each-namespace', namespaces: ['db'] });
    assert.equal(plan({ orSelectors: ['a=b', 'c=d'] }).types.find((t) => t.key === 'configmaps')!.scope.kind, 'each-namespace');
    const everything = planBackup(discovery, defaultFilters, { all: ['a', 'b'], excludedByLabel: new Set() });
    assert.deepEqual(everything.types.find((t) => t.key === 'configmaps')!.scope, { kind: 'all-namespaces' });
  });

  it('attaches --ordered-resources to their type; wrong shapes and unknown or filtered resources are warnings', () => {
    const p = plan({ orderedResources: { cm: ['app-a/x', 'y'], pv: ['pv1', 'ns/pv2'], foos: ['a'] }, includeClusterResources: true });
    assert.deepEqual(p.types.find((t) => t.key === 'configmaps')!.ordered, { as: 'cm', items: [{ namespace: 'app-a', name: 'x' }] });
    assert.deepEqual(p.types.find((t) => t.key === 'persistentvolumes')!.ordered, { as: 'pv', items: [{ name: 'pv1' }] });
    assert.deepEqual(p.warnings, [
      '--ordered-resources: cm are namespaced; write y as namespace/y',
      '--ordered-resources: pv are cluster-scoped; write ns/pv2 as pv2',
      '--ordered-resources: "foos" matches no resource the cluster serves',
    ]);
    assert.match(plan({ orderedResources: { pv: ['pv1'] }, includeClusterResources: false }).warnings[0]!, /pv is not part of this backup/);
  });

  it('keeps both orders where two names of --ordered-resources mean one resource, the first name first', () => {
    const p = plan({ orderedResources: { configmaps: ['app-a/x', 'app-b/y'], cm: ['app-b/y', 'db/z'] } });
    assert.deepEqual(p.types.find((t) => t.key === 'configmaps')!.ordered, {
      as: 'configmaps',
      items: [
        { namespace: 'app-a', name: 'x' },
        { namespace: 'app-b', name: 'y' },
        { namespace: 'db', name: 'z' },
      ],
    });
  });

  it('group versions whose discovery failed: an error where they may hold what the backup takes, a warning where they cannot', () => {
    const partial = Discovery.fromResources(discovery.all().filter((r) => r.group !== 'example.com'), [{ groupVersion: 'example.com/v2', reason: 'HTTP 503' }]);
    const planOf = (filters: Partial<BackupFilters>) => planBackup(partial, { ...defaultFilters, ...filters }, scan);
    const everything = planOf({});
    assert.deepEqual(everything.errors, ['cannot read the API discovery of example.com/v2 (HTTP 503): what it serves may be missing from this backup']);
    assert.ok(!keys(everything).includes('widgets.example.com'));
    const named = planOf({ includeResources: ['configmaps', 'sts'] });
    assert.deepEqual(named.errors, []);
    assert.deepEqual(named.warnings, ['cannot read the API discovery of example.com/v2 (HTTP 503): every resource of --include-resources was found elsewhere']);
    const unresolved = planOf({ includeResources: ['configmaps', 'widgets'] });
    assert.deepEqual(unresolved.errors, ['cannot read the API discovery of example.com/v2 (HTTP 503): a resource of --include-resources that matches nothing may be served there']);
    assert.deepEqual(unresolved.warnings, ['--include-resources: "widgets" matches no resource the cluster serves']);
  });
});
