import assert from 'node:assert/strict';
import type { ListBody, Obj, StatusBody } from '../apiserver/api-shapes.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { RawClient } from '../apiserver/raw-client.js';

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';

function configMap(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: { key: 'value' } };
}

function deployment(name: string, image = 'nginx:1.27'): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
    spec: {
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'main', image, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }] } },
    },
  };
}

describe('test apiserver: create, read, update, patch, delete', () => {
  let server: TestApiServer;
  let api: RawClient;

  before(async () => {
    server = await startTestApiServer();
    api = new RawClient(server);
  });
  after(async () => {
    await server.close();
  });

  it('sets uid, resourceVersion, creationTimestamp, generation and managedFields on create', async () => {
    const a = await api.json<Obj>('POST', `${CM}?fieldManager=tester`, configMap('meta-a'));
    const b = await api.json<Obj>('POST', CM, configMap('meta-b'), { 'User-Agent': 'my-tool/1.0' });
    assert.equal(a.status, 201);
    assert.equal(a.body.kind, 'ConfigMap');
    assert.equal(a.body.apiVersion, 'v1');
    assert.match(a.body.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.match(a.body.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Number(b.body.metadata.resourceVersion) > Number(a.body.metadata.resourceVersion));
    assert.equal(a.body.metadata.generation, undefined, 'ConfigMaps have no generation');
    assert.equal(a.body.metadata.managedFields?.[0]?.manager, 'tester');
    assert.equal(b.body.metadata.managedFields?.[0]?.manager, 'my-tool');
    assert.deepEqual(a.body.metadata.managedFields?.[0]?.fieldsV1, { 'f:data': { '.': {}, 'f:key': {} } });

    const d = await api.json<Obj>('POST', DEPLOY, deployment('gen'));
    assert.equal(d.body.metadata.generation, 1);
    const labelled = await api.json<Obj>('PATCH', `${DEPLOY}/gen`, { metadata: { labels: { extra: 'x' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(labelled.body.metadata.generation, 1, 'metadata changes keep the generation');
    const scaled = await api.json<Obj>('PATCH', `${DEPLOY}/gen`, { spec: { replicas: 3 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(scaled.body.metadata.generation, 2);
  });

  it('answers 404, 409 AlreadyExists, 409 Conflict and 422 Invalid with real Status bodies', async () => {
    const missing = await api.json<StatusBody>('GET', `${CM}/nope`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'configmaps "nope" not found',
      reason: 'NotFound', details: { name: 'nope', kind: 'configmaps' }, code: 404,
    });
    const grouped = await api.json<StatusBody>('GET', `${DEPLOY}/nope`);
    assert.equal(grouped.body.message, 'deployments.apps "nope" not found');
    assert.deepEqual(grouped.body.details, { name: 'nope', group: 'apps', kind: 'deployments' });

    await api.json('POST', CM, configMap('dup'));
    const dup = await api.json<StatusBody>('POST', CM, configMap('dup'));
    assert.equal(dup.status, 409);
    assert.equal(dup.body.reason, 'AlreadyExists');
    assert.equal(dup.body.message, 'configmaps "dup" already exists');

    const current = await api.json<Obj>('GET', `${CM}/dup`);
    const fresh = await api.json<Obj>('PUT', `${CM}/dup`, { ...current.body, data: { key: 'new' } });
    assert.equal(fresh.status, 200);
    const stale = await api.json<StatusBody>('PUT', `${CM}/dup`, { ...current.body, data: { key: 'stale' } });
    assert.equal(stale.status, 409);
    assert.equal(stale.body.reason, 'Conflict');
    assert.equal(stale.body.message, 'Operation cannot be fulfilled on configmaps "dup": the object has been modified; please apply your changes to the latest version and try again');

    const badName = await api.json<StatusBody>('POST', CM, configMap('Bad_Name'));
    assert.equal(badName.status, 422);
    assert.equal(badName.body.reason, 'Invalid');
    assert.match(badName.body.message, /^ConfigMap "Bad_Name" is invalid: metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);
    assert.equal(badName.body.details?.causes?.[0]?.field, 'metadata.name');
    assert.equal(badName.body.details?.causes?.[0]?.reason, 'FieldValueInvalid');

    const dotted = await api.json<StatusBody>('POST', '/api/v1/namespaces', { metadata: { name: 'a.b' } });
    assert.equal(dotted.status, 422, 'namespace names are DNS labels');
    assert.match(dotted.body.message, /RFC 1123 label/);
    const svc = await api.json<StatusBody>('POST', '/api/v1/namespaces/default/services', { metadata: { name: '1svc' }, spec: { ports: [{ port: 80 }] } });
    assert.equal(svc.status, 422, 'service names are DNS-1035 labels');
    assert.match(svc.body.message, /DNS-1035 label/);
    const role = await api.json<Obj>('POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { metadata: { name: 'system:test-role' }, rules: [] });
    assert.equal(role.status, 201, 'RBAC names may contain colons');

    const noName = await api.json<StatusBody>('POST', CM, { metadata: {} });
    assert.equal(noName.status, 422);
    assert.match(noName.body.message, /metadata\.name: Required value: name or generateName is required/);

    const wrongVersion = await api.json<StatusBody>('POST', CM, { ...configMap('wv'), apiVersion: 'apps/v1' });
    assert.equal(wrongVersion.status, 400);
    assert.equal(wrongVersion.body.message, 'the API version in the data (apps/v1) does not match the expected API version (v1)');
    const wrongKind = await api.json<StatusBody>('POST', CM, { ...configMap('wk'), kind: 'Secret' });
    assert.equal(wrongKind.status, 422);
    assert.match(wrongKind.body.message, /kind: Invalid value: "Secret": must be ConfigMap/);

    const noNs = await api.json<StatusBody>('POST', '/api/v1/namespaces/missing/configmaps', configMap('x'));
    assert.equal(noNs.status, 404);
    assert.equal(noNs.body.message, 'namespaces "missing" not found');
    const withRv = await api.json<StatusBody>('POST', CM, configMap('rv', { resourceVersion: '5' }));
    assert.equal(withRv.status, 500);
    assert.match(withRv.body.message, /resourceVersion should not be set on objects to be created/);
    const label = await api.json<StatusBody>('POST', CM, configMap('lbl', { labels: { k: 'x'.repeat(64) } }));
    assert.equal(label.status, 422);
    assert.match(label.body.message, /metadata\.labels: Invalid value: "x+": must be no more than 63 characters/);
  });

  it('refuses verbs a resource does not have with 405, and unknown resources with 404', async () => {
    const cs = await api.json<StatusBody>('POST', '/api/v1/componentstatuses', { metadata: { name: 'x' } });
    assert.equal(cs.status, 405);
    assert.equal(cs.body.reason, 'MethodNotAllowed');
    const unknown = await api.json<StatusBody>('GET', '/api/v1/widgets');
    assert.equal(unknown.status, 404);
    const unknownGroup = await api.request('GET', '/apis/nothing.example.com/v1/things');
    assert.equal(unknownGroup.status, 404);
    assert.equal(unknownGroup.text, '404 page not found\n');
  });

  it('generates names and dry-runs writes', async () => {
    const generated = await api.json<Obj>('POST', CM, { metadata: { generateName: 'gen-' } });
    assert.match(generated.body.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
    const dry = await api.json<Obj>('POST', `${CM}?dryRun=All`, configMap('dry'));
    assert.equal(dry.status, 201);
    assert.equal(dry.body.metadata.resourceVersion, undefined);
    assert.equal((await api.request('GET', `${CM}/dry`)).status, 404);
    await api.json('POST', CM, configMap('dry-del'));
    assert.equal((await api.json('DELETE', `${CM}/dry-del?dryRun=All`)).status, 200);
    assert.equal((await api.request('GET', `${CM}/dry-del`)).status, 200);
  });

  it('applies merge, JSON and strategic merge patches, with $patch, $setElementOrder and $retainKeys', async () => {
    await api.json('POST', DEPLOY, deployment('patched'));
    const merge = await api.json<Obj>('PATCH', `${DEPLOY}/patched`, { metadata: { annotations: { a: '1' } } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(merge.body.metadata.annotations?.a, '1');
    const jsonPatch = await api.json<Obj>('PATCH', `${DEPLOY}/patched`, [{ op: 'replace', path: '/spec/replicas', value: 4 }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(jsonPatch.body.spec?.replicas, 4);
    const badTest = await api.json<StatusBody>('PATCH', `${DEPLOY}/patched`, [{ op: 'test', path: '/spec/replicas', value: 9 }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(badTest.status, 422);

    const strategic = await api.json<Obj>('PATCH', `${DEPLOY}/patched`, {
      spec: {
        strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null },
        template: {
          spec: {
            containers: [{ name: 'main', image: 'nginx:1.28', env: [{ name: 'A', $patch: 'delete' }, { name: 'C', value: '3' }], '$setElementOrder/env': [{ name: 'C' }, { name: 'B' }] }],
          },
        },
      },
    }, { 'Content-Type': 'application/strategic-merge-patch+json' });
    assert.equal(strategic.status, 200);
    const template = strategic.body.spec?.template as { spec: { containers: { name: string; image: string; env: { name: string; value: string }[] }[] } };
    assert.equal(template.spec.containers.length, 1);
    assert.equal(template.spec.containers[0]?.image, 'nginx:1.28');
    assert.deepEqual(template.spec.containers[0]?.env, [{ name: 'C', value: '3' }, { name: 'B', value: '2' }]);
    assert.deepEqual(strategic.body.spec?.strategy, { type: 'Recreate' });

    const crPatch = await api.request('PATCH', `${CM}/dup`, '{}', { 'Content-Type': 'application/octet-stream' });
    assert.equal(crPatch.status, 415);
  });

  it("makes PVs and claims Pending, keeps a PV's volume source and a claim's spec but for its request and bound volume", async () => {
    const merge = { 'Content-Type': 'application/merge-patch+json' };
    const pv = await api.json<Obj>('POST', '/api/v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-rules' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } }, status: { phase: 'Bound' } });
    assert.deepEqual(pv.body.status, { phase: 'Pending' });
    assert.equal((await api.json('PATCH', '/api/v1/persistentvolumes/pv-rules', { spec: { hostPath: { path: '/elsewhere' } } }, merge)).status, 422);
    assert.equal((await api.json('PATCH', '/api/v1/persistentvolumes/pv-rules', { spec: { persistentVolumeReclaimPolicy: 'Delete' } }, merge)).status, 200);
    const claims = '/api/v1/namespaces/default/persistentvolumeclaims';
    const claim = await api.json<Obj>('POST', claims, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'pvc-rules' }, spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '1Gi' } } } });
    assert.deepEqual(claim.body.status, { phase: 'Pending' });
    assert.equal((await api.json('PATCH', `${claims}/pvc-rules`, { spec: { storageClassName: 'io2' } }, merge)).status, 422);
    assert.equal((await api.json('PATCH', `${claims}/pvc-rules`, { spec: { resources: { requests: { storage: '2Gi' } } } }, merge)).status, 200);
    assert.equal((await api.json('PATCH', `${claims}/pvc-rules`, { spec: { volumeName: 'pv-rules' } }, merge)).status, 200, 'the binder names the volume once');
    assert.equal((await api.json('PATCH', `${claims}/pvc-rules`, { spec: { volumeName: 'another' } }, merge)).status, 422);
  });

  it('keeps status to the status subresource', async () => {
    await api.json('POST', DEPLOY, deployment('with-status'));
    const viaMain = await api.json<Obj>('PATCH', `${DEPLOY}/with-status`, { status: { replicas: 5 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(viaMain.body.status?.replicas, undefined, 'the main endpoint ignores status');
    const viaStatus = await api.json<Obj>('PATCH', `${DEPLOY}/with-status/status`, { status: { replicas: 5 }, spec: { replicas: 9 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(viaStatus.body.status?.replicas, 5);
    assert.notEqual(viaStatus.body.spec?.replicas, 9, 'the status endpoint ignores spec');
    assert.equal(viaStatus.body.metadata.generation, 1);
    assert.ok(viaStatus.body.metadata.managedFields?.some((m) => m.subresource === 'status'));
    const scale = await api.json<{ spec: { replicas: number }; status: { selector: string } }>('GET', `${DEPLOY}/with-status/scale`);
    assert.equal(scale.body.status.selector, 'app=with-status');
    const rescaled = await api.json<{ spec: { replicas: number } }>('PATCH', `${DEPLOY}/with-status/scale`, { spec: { replicas: 7 } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(rescaled.body.spec.replicas, 7);
  });

  it('deletes with preconditions, finalizers, orphaning and by collection', async () => {
    const victim = await api.json<Obj>('POST', CM, configMap('victim'));
    const wrongUid = await api.json<StatusBody>('DELETE', `${CM}/victim`, { preconditions: { uid: 'not-the-uid' } });
    assert.equal(wrongUid.status, 409);
    assert.match(wrongUid.body.message, /Precondition failed: UID in precondition: not-the-uid, UID in object meta: /);
    const ok = await api.json<StatusBody>('DELETE', `${CM}/victim`, { preconditions: { uid: victim.body.metadata.uid } });
    assert.equal(ok.status, 200);
    assert.deepEqual(ok.body, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'victim', kind: 'configmaps', uid: victim.body.metadata.uid } });

    await api.json('POST', CM, configMap('held', { finalizers: ['example.com/hold'] }));
    const pending = await api.json<Obj>('DELETE', `${CM}/held`);
    assert.equal(pending.status, 200);
    assert.ok(pending.body.metadata.deletionTimestamp);
    const still = await api.json<Obj>('GET', `${CM}/held`);
    assert.deepEqual(still.body.metadata.finalizers, ['example.com/hold']);
    const blocked = await api.json<StatusBody>('PATCH', `${CM}/held`, { metadata: { finalizers: ['example.com/hold', 'example.com/new'] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(blocked.status, 422);
    await api.json('PATCH', `${CM}/held`, { metadata: { finalizers: null } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal((await api.request('GET', `${CM}/held`)).status, 404);

    for (const name of ['col-a', 'col-b', 'col-c']) await api.json('POST', CM, configMap(name, { labels: { batch: name === 'col-c' ? 'keep' : 'drop' } }));
    const dropped = await api.json<ListBody>('DELETE', `${CM}?labelSelector=batch%3Ddrop`);
    assert.equal(dropped.status, 200);
    assert.deepEqual(dropped.body.items.map((i) => i.metadata.name), ['col-a', 'col-b']);
    assert.equal((await api.request('GET', `${CM}/col-c`)).status, 200);
  });

  it('allocates cluster IPs and node ports, refusing ones already taken', async () => {
    const svcs = '/api/v1/namespaces/default/services';
    const a = await api.json<Obj>('POST', svcs, { metadata: { name: 'alloc-a' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } });
    const spec = a.body.spec as { clusterIP: string; clusterIPs: string[]; ports: { nodePort: number; targetPort: number; protocol: string }[] };
    assert.match(spec.clusterIP, /^10\.96\.\d+\.\d+$/);
    assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
    const nodePort = spec.ports[0]?.nodePort ?? 0;
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    assert.equal(spec.ports[0]?.targetPort, 80);

    const takenIp = await api.json<StatusBody>('POST', svcs, { metadata: { name: 'alloc-b' }, spec: { clusterIP: spec.clusterIP, ports: [{ port: 80 }] } });
    assert.equal(takenIp.status, 422);
    assert.equal(takenIp.body.message, `Service "alloc-b" is invalid: spec.clusterIPs: Invalid value: []string{"${spec.clusterIP}"}: failed to allocate IP ${spec.clusterIP}: provided IP is already allocated`);
    const takenPort = await api.json<StatusBody>('POST', svcs, { metadata: { name: 'alloc-c' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort }] } });
    assert.equal(takenPort.status, 422);
    assert.match(takenPort.body.message, /spec\.ports\[0\]\.nodePort: Invalid value: \d+: provided port is already allocated/);
    assert.equal((await api.json('POST', svcs, { metadata: { name: 'alloc-d' }, spec: { clusterIP: '10.96.200.200', ports: [{ port: 80 }] } })).status, 201);

    await api.json('DELETE', `${svcs}/alloc-a`);
    const reused = await api.json<Obj>('POST', svcs, { metadata: { name: 'alloc-e' }, spec: { clusterIP: spec.clusterIP, type: 'NodePort', ports: [{ port: 80, nodePort }] } });
    assert.equal(reused.status, 201, 'released IPs and ports can be taken again');
  });

  it('keeps node ports by port name when an update leaves them out, and allocates a health check port only where one is needed', async () => {
    const svcs = '/api/v1/namespaces/default/services';
    const made = await api.json<Obj>('POST', svcs, { metadata: { name: 'named-ports' }, spec: { type: 'NodePort', ports: [{ name: 'http', port: 80 }, { name: 'admin', port: 9000 }] } });
    const before = (made.body.spec as { ports: { name: string; nodePort: number }[] }).ports;
    // The http port renumbered, the node ports left out: each keeps its own, found by name.
    const updated = await api.json<Obj>('PUT', `${svcs}/named-ports`, { metadata: { name: 'named-ports', resourceVersion: made.body.metadata.resourceVersion }, spec: { ...(made.body.spec as object), ports: [{ name: 'http', port: 8080 }, { name: 'admin', port: 9000 }] } });
    assert.equal(updated.status, 200);
    assert.deepEqual((updated.body.spec as { ports: { name: string; nodePort: number }[] }).ports.map((p) => [p.name, p.nodePort]), before.map((p) => [p.name, p.nodePort]));

    const local = await api.json<Obj>('POST', svcs, { metadata: { name: 'lb-local' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 80 }] } });
    const healthCheckNodePort = (local.body.spec as { healthCheckNodePort?: number }).healthCheckNodePort ?? 0;
    assert.ok(healthCheckNodePort >= 30000 && healthCheckNodePort <= 32767, String(healthCheckNodePort));
    const taken = await api.json<StatusBody>('POST', svcs, { metadata: { name: 'lb-local-2' }, spec: { type: 'LoadBalancer', externalTrafficPolicy: 'Local', healthCheckNodePort, ports: [{ port: 80 }] } });
    assert.equal(taken.status, 422, 'a health check port is a node port like the others');
    const misplaced = await api.json<StatusBody>('POST', svcs, { metadata: { name: 'cluster-ip' }, spec: { healthCheckNodePort: 31999, ports: [{ port: 80 }] } });
    assert.equal(misplaced.status, 422);
    assert.match(misplaced.body.message, /spec\.healthCheckNodePort: Invalid value: 31999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'/);
  });

  it('creates the default ServiceAccount and kube-root-ca.crt in new namespaces, and labels them', async () => {
    const ns = await api.json<Obj>('POST', '/api/v1/namespaces', { metadata: { name: 'fresh' } });
    assert.equal(ns.body.metadata.labels?.['kubernetes.io/metadata.name'], 'fresh');
    assert.deepEqual(ns.body.status, { phase: 'Active' });
    assert.equal((await api.request('GET', '/api/v1/namespaces/fresh/serviceaccounts/default')).status, 200);
    const ca = await api.json<Obj>('GET', '/api/v1/namespaces/fresh/configmaps/kube-root-ca.crt');
    assert.match(ca.body.data?.['ca.crt'] ?? '', /BEGIN CERTIFICATE/);

    const pod = await api.json<Obj>('POST', '/api/v1/namespaces/fresh/pods', { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const podSpec = pod.body.spec as { serviceAccountName: string; volumes: { name: string }[] };
    assert.equal(podSpec.serviceAccountName, 'default');
    assert.match(podSpec.volumes[0]?.name ?? '', /^kube-api-access-[a-z0-9]{5}$/);
    const noSa = await api.json<StatusBody>('POST', '/api/v1/namespaces/fresh/pods', { metadata: { name: 'q' }, spec: { serviceAccountName: 'ghost', containers: [{ name: 'c', image: 'busybox' }] } });
    assert.equal(noSa.status, 403);
  });

  it('refuses pods created with ephemeral containers, as ValidatePodCreate does', async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const refused = await api.json<StatusBody>('POST', pods, {
      metadata: { name: 'debugged' },
      spec: { containers: [{ name: 'c', image: 'busybox' }], ephemeralContainers: [{ name: 'debugger', image: 'busybox' }] },
    });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.message, 'Pod "debugged" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create');
    assert.equal((await api.json('POST', pods, { metadata: { name: 'plain' }, spec: { containers: [{ name: 'c', image: 'busybox' }], ephemeralContainers: [] } })).status, 201);
  });

  it("sets a pod's priority from its PriorityClass or the global default, and refuses a pod that gives another value", async () => {
    const pods = '/api/v1/namespaces/default/pods';
    const classes = '/apis/scheduling.k8s.io/v1/priorityclasses';
    const pod = (name: string, spec: Record<string, unknown> = {}) => ({ metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });
    const priorityOf = (created: { body: Obj }) => (created.body.spec as { priority?: number; priorityClassName?: string });
    assert.equal((await api.json('POST', classes, { metadata: { name: 'high' }, value: 1000 })).status, 201);

    assert.equal(priorityOf(await api.json<Obj>('POST', pods, pod('prio-none'))).priority, 0);
    assert.equal(priorityOf(await api.json<Obj>('POST', pods, pod('prio-class', { priorityClassName: 'high' }))).priority, 1000);
    assert.equal((await api.json('POST', pods, pod('prio-same', { priorityClassName: 'high', priority: 1000 }))).status, 201);
    const other = await api.json<StatusBody>('POST', pods, pod('prio-other', { priorityClassName: 'high', priority: 5 }));
    assert.equal(other.status, 403);
    assert.equal(other.body.message, 'pods "prio-other" is forbidden: the integer value of priority (5) must not be provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name');
    const missing = await api.json<StatusBody>('POST', pods, pod('prio-missing', { priorityClassName: 'ghost' }));
    assert.equal(missing.status, 403);
    assert.equal(missing.body.message, 'pods "prio-missing" is forbidden: no PriorityClass with name ghost was found');

    assert.equal((await api.json('POST', classes, { metadata: { name: 'everyone' }, value: 100, globalDefault: true })).status, 201);
    try {
      const byDefault = priorityOf(await api.json<Obj>('POST', pods, pod('prio-default')));
      assert.deepEqual([byDefault.priority, byDefault.priorityClassName], [100, 'everyone']);
      assert.equal((await api.json('POST', pods, pod('prio-zero', { priority: 0 }))).status, 403, 'the global default is 100, not 0');
    } finally {
      await api.json('DELETE', `${classes}/everyone`);
    }
  });

  it('stores secrets from stringData and rejects bad base64', async () => {
    const secrets = '/api/v1/namespaces/default/secrets';
    const s = await api.json<Obj & { stringData?: unknown }>('POST', secrets, { metadata: { name: 's1' }, stringData: { password: 'hunter2' } });
    assert.equal(s.body.type, 'Opaque');
    assert.equal(s.body.data?.password, Buffer.from('hunter2').toString('base64'));
    assert.equal(s.body.stringData, undefined);
    assert.equal((await api.json('POST', secrets, { metadata: { name: 's2' }, data: { x: 'not base64!' } })).status, 400);
  });

  it('limits Secret and ConfigMap data to 1 MiB of value bytes: decoded bytes for base64, UTF-8 bytes for strings', async () => {
    const mib = 1024 * 1024;
    const base64Of = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');
    const post = async (path: string, name: string, body: object) => (await api.json<StatusBody>('POST', path, { metadata: { name }, ...body })).status;
    const secrets = '/api/v1/namespaces/default/secrets';
    assert.equal(await post(secrets, 'big-ok', { data: { a: base64Of(mib - 10), b: base64Of(10) } }), 201, '1 MiB once decoded, though 1.33 MiB of base64');
    assert.equal(await post(secrets, 'big-no', { data: { a: base64Of(mib), b: base64Of(1) } }), 422);
    const configMaps = '/api/v1/namespaces/default/configmaps';
    assert.equal(await post(configMaps, 'big-binary', { binaryData: { a: base64Of(mib) } }), 201);
    assert.equal(await post(configMaps, 'big-mixed', { data: { a: 'x' }, binaryData: { b: base64Of(mib) } }), 422);
    assert.equal(await post(configMaps, 'big-utf8', { data: { a: 'é'.repeat(mib / 2 + 1) } }), 422, 'é is 2 bytes in UTF-8');
  });
});
