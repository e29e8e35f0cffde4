import assert from 'node:assert/strict';
import { Discovery, qualifiedName, resourcePath } from '../../src/kube/discovery.js';
import { apiResource } from '../builders/api-resources.js';

const discovery = Discovery.fromResources([
  apiResource({ resource: 'pods', kind: 'Pod', shortNames: ['po'] }),
  apiResource({ resource: 'pods/status', kind: 'Pod', verbs: ['get', 'patch', 'update'] }),
  apiResource({ resource: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'] }),
  apiResource({ resource: 'events', kind: 'Event', shortNames: ['ev'] }),
  apiResource({ resource: 'events', kind: 'Event', group: 'events.k8s.io', shortNames: ['ev'] }),
  apiResource({ resource: 'statefulsets', kind: 'StatefulSet', group: 'apps', shortNames: ['sts'] }),
  apiResource({ resource: 'deployments', kind: 'Deployment', group: 'apps', shortNames: ['deploy'] }),
  apiResource({ resource: 'deployments', kind: 'Deployment', group: 'extensions', version: 'v1beta1', preferred: true }),
  apiResource({ resource: 'widgets', kind: 'Widget', group: 'example.com', version: 'v2' }),
  apiResource({ resource: 'widgets', kind: 'Widget', group: 'example.com', version: 'v1', preferred: false }),
  apiResource({ resource: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, verbs: ['get', 'list'] }),
]);

describe('discovery', () => {
  it('resolves every name kubectl accepts to the same resource', () => {
    for (const name of ['sts', 'statefulset', 'StatefulSet', 'statefulsets', 'statefulsets.apps', 'statefulsets.v1.apps', 'STS']) {
      const found = discovery.resolve(name);
      assert.equal(found && qualifiedName(found), 'statefulsets.apps', name);
    }
  });

  it('prefers the core group, then non-legacy groups, for unqualified names', () => {
    assert.equal(discovery.resolve('events')?.group, '');
    assert.equal(discovery.resolve('deployments')?.group, 'apps');
    assert.equal(discovery.resolve('deployments.extensions')?.group, 'extensions');
  });

  it('resolves preferred versions first', () => {
    assert.equal(discovery.resolve('widgets')?.version, 'v2');
    assert.equal(discovery.resolve('widgets.v1.example.com')?.version, 'v1');
  });

  it('matches a group prefix, as kubectl does, only when no group matches exactly', () => {
    const groups = Discovery.fromResources([
      apiResource({ resource: 'storageclasses', kind: 'StorageClass', group: 'storage.k8s.io', namespaced: false, shortNames: ['sc'] }),
      apiResource({ resource: 'deployments', kind: 'Deployment', group: 'apps.example.com' }),
      apiResource({ resource: 'deployments', kind: 'Deployment', group: 'apps' }),
      apiResource({ resource: 'widgets', kind: 'Widget', group: 'example.com' }),
    ]);
    for (const name of ['storageclasses.storage', 'sc.storage', 'storageclass.storage.k8s']) assert.equal(groups.resolve(name)?.group, 'storage.k8s.io', name);
    assert.deepEqual(groups.resolveAll('deployments.apps').map(qualifiedName), ['deployments.apps']);
    assert.deepEqual(groups.resolveAll('deployments.apps.ex').map(qualifiedName), ['deployments.apps.example.com']);
    assert.deepEqual(groups.resolveAll('widgets.ex').map(qualifiedName), ['widgets.example.com']);
    assert.deepEqual(groups.resolveAll('widgets.example.org'), []);
    assert.deepEqual(groups.resolveAll('widgets.'), []);
  });

  it('returns nothing for unknown names and subresources', () => {
    assert.equal(discovery.resolve('gadgets'), undefined);
    assert.equal(discovery.resolve('pods/status'), undefined);
    assert.equal(discovery.resolve(''), undefined);
  });

  it('offers as backup candidates only preferred, top-level, fully usable resources, each set of objects once', () => {
    const names = discovery.backupCandidates().map(qualifiedName).sort();
    assert.deepEqual(names, ['deployments.apps', 'events', 'namespaces', 'pods', 'statefulsets.apps', 'widgets.example.com']);
  });

  it('finds the resource for an apiVersion and kind', () => {
    assert.equal(discovery.forKind('apps/v1', 'Deployment')?.resource, 'deployments');
    assert.equal(discovery.forKind('example.com/v1', 'Widget')?.version, 'v1');
    assert.equal(discovery.forKind('v1', 'Pod')?.resource, 'pods');
  });

  it('builds REST paths for collections and items', () => {
    const pods = discovery.resolve('pods')!;
    const ns = discovery.resolve('ns')!;
    assert.equal(resourcePath(pods, 'a', 'b'), '/api/v1/namespaces/a/pods/b');
    assert.equal(resourcePath(pods), '/api/v1/pods');
    assert.equal(resourcePath(ns, undefined, 'x'), '/api/v1/namespaces/x');
    assert.equal(resourcePath(discovery.resolve('sts')!, 'n'), '/apis/apps/v1/namespaces/n/statefulsets');
  });
});
