import assert from 'node:assert/strict';
import type { Readable } from 'node:stream';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
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

  describe('resources the preferred version does not serve (client-go ServerPreferredResources)', () => {
    // As Istio serves networking.istio.io: v1 preferred, v1beta1 and v1alpha3 older; EnvoyFilter only in v1alpha3.
    const istio = Discovery.fromResources([
      apiResource({ resource: 'virtualservices', kind: 'VirtualService', group: 'networking.istio.io', version: 'v1', shortNames: ['vs'] }),
      apiResource({ resource: 'virtualservices', kind: 'VirtualService', group: 'networking.istio.io', version: 'v1beta1', preferred: false }),
      apiResource({ resource: 'sidecars', kind: 'Sidecar', group: 'networking.istio.io', version: 'v1beta1', preferred: false }),
      apiResource({ resource: 'sidecars', kind: 'Sidecar', group: 'networking.istio.io', version: 'v1alpha3', preferred: false }),
      apiResource({ resource: 'envoyfilters', kind: 'EnvoyFilter', group: 'networking.istio.io', version: 'v1alpha3', preferred: false }),
      apiResource({ resource: 'envoyfilters/status', kind: 'EnvoyFilter', group: 'networking.istio.io', version: 'v1alpha3', preferred: false }),
    ]);
    const versions = (d: Discovery) => d.backupCandidates().map((r) => `${qualifiedName(r)} ${r.version}`).sort();

    it('are candidates, in the first version (by priority) that serves them; the preferred version wins where it serves one', () => {
      assert.deepEqual(versions(istio), ['envoyfilters.networking.istio.io v1alpha3', 'sidecars.networking.istio.io v1beta1', 'virtualservices.networking.istio.io v1']);
    });

    it('resolve by every name to that version', () => {
      for (const name of ['envoyfilters', 'EnvoyFilter', 'envoyfilter', 'envoyfilters.networking.istio.io', 'envoyfilters.v1alpha3.networking.istio.io']) {
        const found = istio.resolve(name);
        assert.equal(found && `${qualifiedName(found)} ${found.version}`, 'envoyfilters.networking.istio.io v1alpha3', name);
      }
      assert.equal(istio.resolve('sidecars')?.version, 'v1beta1');
      assert.equal(istio.byQualifiedName('envoyfilters.networking.istio.io')?.version, 'v1alpha3');
      assert.equal(istio.forKind('networking.istio.io/v1', 'EnvoyFilter')?.version, 'v1alpha3');
    });

    it('are found by Discovery.load in both aggregated and legacy discovery', async () => {
      for (const form of ['aggregated', 'legacy'] as const) {
        const loaded = await Discovery.load(new IstioDiscoveryServer(form));
        assert.deepEqual(versions(loaded).filter((v) => v.includes('istio')), versions(istio), form);
        assert.deepEqual(loaded.unread, [], form);
      }
    });

    it('leave out a version whose API server does not answer (Stale, or failing), named as unread, the next version preferred', async () => {
      for (const form of ['aggregated', 'legacy'] as const) {
        const loaded = await Discovery.load(new IstioDiscoveryServer(form, 'v1'));
        assert.deepEqual(loaded.unread.map((u) => u.groupVersion), ['networking.istio.io/v1'], form);
        assert.equal(loaded.resolve('virtualservices')?.version, 'v1beta1', form);
        assert.ok(!loaded.all().some((r) => r.version === 'v1' && r.group === 'networking.istio.io'), form);
      }
    });
  });
});

/**
 * The discovery documents of a cluster with only core pods and Istio's networking group, in
 * either form. Aggregated discovery lists versions by priority, legacy names the preferred one.
 */
class IstioDiscoveryServer implements KubeClient {
  readonly server = 'https://istio.example';
  private readonly versions: { version: string; resources: { name: string; kind: string }[] }[] = [
    { version: 'v1', resources: [{ name: 'virtualservices', kind: 'VirtualService' }] },
    { version: 'v1beta1', resources: [{ name: 'virtualservices', kind: 'VirtualService' }, { name: 'sidecars', kind: 'Sidecar' }] },
    { version: 'v1alpha3', resources: [{ name: 'sidecars', kind: 'Sidecar' }, { name: 'envoyfilters', kind: 'EnvoyFilter' }, { name: 'envoyfilters/status', kind: 'EnvoyFilter' }] },
  ];
  private readonly verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

  /** @param stale a version whose aggregated API server does not answer: Stale, or failing, as the form says it */
  constructor(
    private readonly form: 'aggregated' | 'legacy',
    private readonly stale?: string,
  ) {}

  async json<T>(req: KubeRequest): Promise<T> {
    const aggregatedAsked = (req.accept ?? '').includes('apidiscovery.k8s.io');
    if (this.form === 'aggregated' && aggregatedAsked) return (req.path === '/api' ? this.aggregatedCore() : this.aggregatedGroups()) as T;
    if (req.path === '/api') return { versions: ['v1'] } as T;
    if (req.path === '/apis') {
      const versions = this.versions.map((v) => ({ groupVersion: `networking.istio.io/${v.version}`, version: v.version }));
      return { groups: [{ name: 'networking.istio.io', versions, preferredVersion: versions[0] }] } as T;
    }
    if (req.path === '/api/v1') return { resources: [{ name: 'pods', kind: 'Pod', namespaced: true, verbs: this.verbs }] } as T;
    if (this.stale !== undefined && req.path === `/apis/networking.istio.io/${this.stale}`) throw new Error('503 ServiceUnavailable');
    const served = this.versions.find((v) => req.path === `/apis/networking.istio.io/${v.version}`);
    if (served) return { resources: served.resources.map((r) => ({ ...r, namespaced: true, verbs: this.verbs })) } as T;
    throw new Error(`not served: ${req.path}`);
  }

  stream(): Promise<Readable> {
    throw new Error('no streams');
  }

  private aggregatedCore(): object {
    return { kind: 'APIGroupDiscoveryList', items: [{ metadata: { name: '' }, versions: [{ version: 'v1', resources: [{ resource: 'pods', responseKind: { kind: 'Pod' }, scope: 'Namespaced', verbs: this.verbs }] }] }] };
  }

  private aggregatedGroups(): object {
    const versions = this.versions.map((v) => ({
      version: v.version,
      // As the real server: a Stale version lists no resources.
      ...(v.version === this.stale ? { freshness: 'Stale' } : { freshness: 'Current' }),
      resources: (v.version === this.stale ? [] : v.resources)
        .filter((r) => !r.name.includes('/'))
        .map((r) => ({
          resource: r.name,
          responseKind: { kind: r.kind },
          scope: 'Namespaced',
          verbs: this.verbs,
          ...(r.name === 'envoyfilters' ? { subresources: [{ subresource: 'status', responseKind: { kind: r.kind }, verbs: ['get'] }] } : {}),
        })),
    }));
    return { kind: 'APIGroupDiscoveryList', items: [{ metadata: { name: 'networking.istio.io' }, versions }] };
  }
}
