import assert from 'node:assert/strict';
import type { ListBody, Obj, StatusBody } from '../apiserver/api-shapes.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { RawClient } from '../apiserver/raw-client.js';
import { eventually } from '../helpers/kubectl.js';

const CM = '/api/v1/namespaces/default/configmaps';

function crd(group: string, plural: string, kind: string, versions: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `${plural}.${group}` },
    spec: {
      group, scope: 'Namespaced',
      names: { plural, singular: kind.toLowerCase(), kind, shortNames: [`${plural.slice(0, 2)}x`], categories: ['all'] },
      versions: versions.map((name, i) => ({
        name, served: true, storage: i === 0,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        subresources: { status: {} },
        additionalPrinterColumns: [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }],
      })),
      ...extra,
    },
  };
}

describe('test apiserver: garbage collection, namespaces and CRDs', () => {
  let server: TestApiServer;
  let api: RawClient;

  before(async () => {
    server = await startTestApiServer({ neverEstablishCrds: /^stuck/ });
    api = new RawClient(server);
  });
  after(async () => {
    await server.close();
  });

  const exists = async (path: string): Promise<boolean> => (await api.request('GET', path)).status === 200;
  const owned = (name: string, owner: Obj, block = true): Record<string, unknown> => ({
    metadata: { name, ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.metadata.name, uid: owner.metadata.uid, blockOwnerDeletion: block }] },
  });

  it('collects dependents transitively after a background delete', async () => {
    const root = (await api.json<Obj>('POST', CM, { metadata: { name: 'root' } })).body;
    const child = (await api.json<Obj>('POST', CM, owned('child', root))).body;
    await api.json('POST', CM, owned('grandchild', child));
    await api.json('DELETE', `${CM}/root`);
    await eventually(async () => !(await exists(`${CM}/grandchild`)) && !(await exists(`${CM}/child`)), 3000, 'dependents to go');
  });

  it('keeps a foreground-deleted owner until its blocking dependents are gone', async () => {
    const owner = (await api.json<Obj>('POST', CM, { metadata: { name: 'fg', finalizers: ['example.com/hold-owner'] } })).body;
    await api.json('POST', CM, { ...owned('fg-dep', owner), metadata: { ...(owned('fg-dep', owner).metadata as object), finalizers: ['example.com/hold'] } });
    const deleting = await api.json<Obj>('DELETE', `${CM}/fg`, { propagationPolicy: 'Foreground' });
    assert.ok(deleting.body.metadata.deletionTimestamp);
    assert.deepEqual(deleting.body.metadata.finalizers, ['example.com/hold-owner', 'foregroundDeletion']);
    await eventually(async () => Boolean((await api.json<Obj>('GET', `${CM}/fg-dep`)).body.metadata.deletionTimestamp), 3000, 'dependent deletion to start');
    assert.ok(await exists(`${CM}/fg`), 'owner waits for the blocking dependent');
    await api.json('PATCH', `${CM}/fg-dep`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    await eventually(async () => ((await api.json<Obj>('GET', `${CM}/fg`)).body.metadata.finalizers ?? []).length === 1, 3000, 'foregroundDeletion to be removed');
    await api.json('PATCH', `${CM}/fg`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(await exists(`${CM}/fg`), false);
  });

  it('orphans dependents, and collects objects whose owner never existed', async () => {
    const owner = (await api.json<Obj>('POST', CM, { metadata: { name: 'orphaner' } })).body;
    await api.json('POST', CM, owned('orphan', owner));
    await api.json('DELETE', `${CM}/orphaner?propagationPolicy=Orphan`);
    await eventually(async () => !(await exists(`${CM}/orphaner`)), 3000, 'owner to go');
    const orphan = await api.json<Obj>('GET', `${CM}/orphan`);
    assert.equal(orphan.status, 200);
    assert.equal(orphan.body.metadata.ownerReferences, undefined);

    await api.json('POST', CM, owned('dangling', { metadata: { name: 'ghost', uid: '00000000-0000-4000-8000-000000000000' } } as Obj));
    await eventually(async () => !(await exists(`${CM}/dangling`)), 3000, 'dangling dependent to be collected');
  });

  it('deletes a namespace with everything in it, refusing new content meanwhile', async () => {
    await server.seed([
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'doomed' } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b', namespace: 'doomed', finalizers: ['example.com/slow'] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'c', namespace: 'doomed' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } } },
    ]);
    const deleting = await api.json<Obj>('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(deleting.status, 200);
    assert.equal(deleting.body.status?.phase, 'Terminating');
    const refused = await api.json<StatusBody>('POST', '/api/v1/namespaces/doomed/configmaps', { metadata: { name: 'late' } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.message, 'configmaps "late" is forbidden: unable to create new content in namespace doomed because it is being terminated');
    await eventually(async () => !(await exists('/apis/apps/v1/namespaces/doomed/deployments/c')), 3000, 'content to go');
    assert.ok(await exists('/api/v1/namespaces/doomed'), 'the namespace waits for the finalizer');
    await api.json('PATCH', '/api/v1/namespaces/doomed/secrets/b', { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    await eventually(async () => !(await exists('/api/v1/namespaces/doomed')), 3000, 'namespace to go');
  });

  it('registers a CRD: discovery, preferred version, CRUD and printer columns; deleting it removes its objects', async () => {
    const created = await api.json<Obj>('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('example.com', 'gadgets', 'Gadget', ['v1beta1', 'v1', 'v2alpha1']));
    assert.equal(created.status, 201);
    assert.equal(created.body.metadata.finalizers, undefined, 'the cleanup finalizer comes with the delete');
    const group = await api.json<{ preferredVersion: { version: string }; versions: { version: string }[] }>('GET', '/apis/example.com');
    assert.equal(group.body.preferredVersion.version, 'v1');
    assert.deepEqual(group.body.versions.map((v) => v.version), ['v1', 'v1beta1', 'v2alpha1']);
    const resources = await api.json<{ resources: { name: string; shortNames?: string[]; categories?: string[]; namespaced: boolean }[] }>('GET', '/apis/example.com/v1');
    assert.deepEqual(resources.body.resources.map((r) => r.name), ['gadgets', 'gadgets/status']);
    assert.deepEqual(resources.body.resources[0]?.shortNames, ['gax']);
    const status = await api.json<Obj>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
    const conditions = (status.body.status?.conditions ?? []) as { type: string; status: string }[];
    assert.deepEqual(conditions.map((c) => `${c.type}=${c.status}`), ['NamesAccepted=True', 'Established=True']);

    const path = '/apis/example.com/v1/namespaces/default/gadgets';
    const g = await api.json<Obj>('POST', path, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g1' }, spec: { size: 3 }, status: { ignored: true } });
    assert.equal(g.status, 201);
    assert.equal(g.body.metadata.generation, 1);
    assert.equal(g.body.status, undefined, 'status is dropped on create with a status subresource');
    // A list of custom resources is an unstructured map, encoded with sorted keys (items before
    // metadata); a typed list puts its metadata, continue token included, before its items.
    await api.json('POST', path, { apiVersion: 'example.com/v1', kind: 'Gadget', metadata: { name: 'g2' }, spec: { size: 4 } });
    const customList = await api.request('GET', `${path}?limit=1`);
    assert.match(customList.text, /^\{"apiVersion":"example\.com\/v1","items":\[.*\],"kind":"GadgetList","metadata":\{"continue":"[^"]+","remainingItemCount":1,"resourceVersion":"\d+"\}\}$/);
    assert.match((await api.request('GET', `${CM}?limit=1`)).text, /^\{"kind":"ConfigMapList","apiVersion":"v1","metadata":\{/);
    await api.json('DELETE', `${path}/g2`);
    const beta = await api.json<ListBody>('GET', '/apis/example.com/v1beta1/gadgets');
    assert.equal(beta.body.items[0]?.apiVersion, 'example.com/v1beta1', 'served at every version');
    assert.equal(beta.body.items[0]?.kind, 'Gadget');
    const strategic = await api.request('PATCH', `${path}/g1`, '{}', { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(strategic.status, 415);
    const table = await api.json<{ columnDefinitions: { name: string }[]; rows: { cells: unknown[] }[] }>('GET', path, undefined, { Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    assert.deepEqual(table.body.columnDefinitions.map((c) => c.name), ['Name', 'Size']);
    assert.deepEqual(table.body.rows[0]?.cells, ['g1', 3]);

    await api.json('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com');
    await eventually(async () => (await api.request('GET', '/apis/example.com/v1')).status === 404, 3000, 'CRD to be unregistered');
    assert.equal(await exists('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.example.com'), false);
    const regroups = await api.json<{ groups: { name: string }[] }>('GET', '/apis');
    assert.ok(!regroups.body.groups.some((gr) => gr.name === 'example.com'));
  });

  it('deletes a CRD through its cleanup finalizer, refusing new custom resources (405) until it is gone', async () => {
    await api.json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('example.com', 'widgets', 'Widget', ['v1']));
    const path = '/apis/example.com/v1/namespaces/default/widgets';
    await eventually(async () => (await api.request('GET', path)).status === 200, 3000, 'served');
    // A custom resource held by a finalizer of its own keeps the CRD terminating.
    await api.json('POST', path, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    await api.json('DELETE', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    const terminating = await api.json<Obj>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com');
    assert.deepEqual(terminating.body.metadata.finalizers, ['customresourcecleanup.apiextensions.k8s.io']);
    assert.ok(terminating.body.metadata.deletionTimestamp);
    const refused = await api.json<Obj & { message?: string }>('POST', path, { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'late' } });
    assert.equal(refused.status, 405);
    assert.equal(refused.body.message, 'create not allowed while custom resource definition is terminating');
    await api.json('PATCH', `${path}/held`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    await eventually(async () => !(await exists('/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com')), 3000, 'CRD to go');
  });

  it('refuses a PUT of a custom resource that names no resourceVersion (422), as the custom resource strategy does', async () => {
    await api.json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('example.com', 'gizmos', 'Gizmo', ['v1']));
    const path = '/apis/example.com/v1/namespaces/default/gizmos';
    await eventually(async () => (await api.request('GET', path)).status === 200, 3000, 'served');
    const made = await api.json<Obj>('POST', path, { apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'g' }, spec: { size: 1 } });
    const unconditional = await api.json<Obj & { message?: string }>('PUT', `${path}/g`, { apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'g' }, spec: { size: 2 } });
    assert.equal(unconditional.status, 422);
    assert.match(unconditional.body.message ?? '', /metadata\.resourceVersion: Invalid value: "0x0": must be specified for an update/);
    const versioned = await api.json<Obj>('PUT', `${path}/g`, { apiVersion: 'example.com/v1', kind: 'Gizmo', metadata: { name: 'g', resourceVersion: made.body.metadata.resourceVersion }, spec: { size: 2 } });
    assert.equal(versioned.status, 200);
  });

  it('can leave a CRD not Established, out of discovery', async () => {
    await api.json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('stuck.example.com', 'stucks', 'Stuck', ['v1']));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const got = await api.json<Obj>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/stucks.stuck.example.com');
    const conditions = (got.body.status?.conditions ?? []) as { type: string; status: string }[];
    assert.deepEqual(conditions.map((c) => `${c.type}=${c.status}`), ['NamesAccepted=True', 'Established=False']);
    assert.equal((await api.request('GET', '/apis/stuck.example.com/v1')).status, 404);
  });

  it('becomes Established after the configured delay', async () => {
    const slow = await startTestApiServer({ crdEstablishDelayMs: 150 });
    try {
      const raw = new RawClient(slow);
      await raw.json('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd('slow.example.com', 'slows', 'Slow', ['v1']));
      const established = async (): Promise<boolean> => {
        const c = (await raw.json<Obj>('GET', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/slows.slow.example.com')).body.status?.conditions ?? [];
        return (c as { type: string; status: string }[]).some((x) => x.type === 'Established' && x.status === 'True');
      };
      assert.equal(await established(), false);
      await eventually(established, 3000, 'Established');
    } finally {
      await slow.close();
    }
  });
});
