import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { InvalidArchiveError } from '../../src/archive/archive-errors.js';
import { defaultFilters } from '../../src/backup/backup-request.js';
import { ExitCode, InterruptedError } from '../../src/errors.js';
import { getIfExists } from '../../src/kube/get-if-exists.js';
import { KubeApiError } from '../../src/kube/api-error.js';
import { HttpKubeClient, type KubeClient, type KubeRequest } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';
import { silentLogger, type LogFields, type Logger, type LogLevel } from '../../src/log/logger.js';
import { noProgress } from '../../src/progress/progress-reporter.js';
import { parseNamespaceMappings } from '../../src/restore/namespace-mappings.js';
import { labelValue } from '../../src/restore/restore-labels.js';
import type { PlanEntry } from '../../src/restore/restore-plan.js';
import type { RestoreRequest } from '../../src/restore/restore-request.js';
import { createRestore, type RestoreResult } from '../../src/restore/restore-service.js';
import { runRestore } from '../../src/restore/restore-engine.js';
import { Discovery } from '../../src/kube/discovery.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys, restoreKeys } from '../../src/storage/layout.js';
import { RestoreRepository } from '../../src/storage/restore-repository.js';
import { ArtifactIntegrityError } from '../../src/storage/storage-errors.js';
import { install } from '../../src/install/install.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { collectGarbage } from '../../src/gc/collect-garbage.js';
import { openRestoreLog, openRestoreResourceList, readRestoreResults } from '../../src/restore/restore-artifacts.js';
import type { RestoreRecord } from '../../src/storage/restore-record.js';
import { RestoreObject } from '../../src/restore/restore-object.js';
import { describeRestore } from '../../src/backup-records/restore-description-text.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { backupArchive, tarGz, type ArchiveObject, type RawEntry } from '../builders/restore-archive.js';
import { storeBackup } from '../builders/stored-backup.js';
import { restoreRequest } from '../builders/restore-request.js';
import { configMap, item, namespaceItem, ownedBy } from '../builders/restore-objects.js';

const neverEstablished = 'gadgets.example.com';

let server: TestApiServer;
let client: HttpKubeClient;
let dir: string;
let store: FileObjectStore;
let backups = 0;

class MemoryLogger implements Logger {
  readonly lines: { level: LogLevel; message: string; fields: LogFields }[] = [];
  log(level: LogLevel, message: string, fields: LogFields = {}): void {
    this.lines.push({ level, message, fields });
  }
}

async function backupOf(objects: ArchiveObject[] | Buffer, options: Parameters<typeof storeBackup>[2] = {}): Promise<BackupRecord> {
  const archive = Buffer.isBuffer(objects) ? objects : await backupArchive(objects);
  return storeBackup(store, `b${++backups}`, { ...options, archive });
}

async function restore(backup: BackupRecord, overrides: Partial<RestoreRequest> = {}, onPlan?: (entry: PlanEntry) => void, logger: Logger = silentLogger): Promise<RestoreResult> {
  return createRestore(restoreRequest(backup.metadata.name, overrides), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger, ...(onPlan ? { onPlan } : {}) }, { crdEstablishTimeoutMs: 1500, crdPollIntervalMs: 20 });
}

function get(pathname: string): Promise<KubeObject | undefined> {
  return getIfExists<KubeObject>(client, pathname);
}

const writes = () => server.requestLog.list().filter((e) => e.method !== 'GET');

/** The keys stored under a restore's directory. */
async function keysOf(restoreName: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(restoreKeys(restoreName).dir)) keys.push(object.key);
  return keys.sort();
}

/** The restore's resource list as the record lists it, read back through its integrity check; each type must come once. */
async function readResourceList(record: RestoreRecord): Promise<Record<string, string[]>> {
  const events = await openRestoreResourceList(store, record);
  assert.ok(events, 'the record lists a resource list');
  const list: Record<string, string[]> = {};
  for await (const event of events) {
    if (event.kind === 'type') {
      assert.equal(list[event.type], undefined, `${event.type} is written once`);
      list[event.type] = [];
    } else list[event.type]!.push(event.item);
  }
  return list;
}

describe('restore engine (API test server)', () => {
  before(async () => {
    server = await startTestApiServer({ crdEstablishDelayMs: 100, neverEstablishCrds: [neverEstablished] });
    client = new HttpKubeClient({ server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} }, { retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 50 } });
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'restore-engine-'));
    store = new FileObjectStore(path.join(dir, 'store'));
  });

  after(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => server.requestLog.clear());

  it('creates nothing when the archive does not match its checksum, and names the artifact', async () => {
    const backup = await backupOf([namespaceItem('corrupt'), configMap('corrupt', 'c')]);
    const file = path.join(dir, 'store', backupKeys(backup.metadata.name).archive);
    const bytes = await fs.readFile(file);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    await fs.writeFile(file, bytes);
    await assert.rejects(restore(backup), (err: unknown) => {
      assert.ok(err instanceof ArtifactIntegrityError);
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, new RegExp(`artifact "${backupKeys(backup.metadata.name).archive}" failed its integrity check: its sha256 is`));
      return true;
    });
    assert.deepEqual(writes(), []);
    assert.deepEqual(await new RestoreRepository(store).names(), []);
  });

  it('reports a checksum mismatch, not a broken gzip or tar, when the damage comes before the end of the archive', async () => {
    // The archive is parsed as it is read: damage near its start breaks gzip long before the
    // checksum is known, and the error must still say what is wrong.
    const backup = await backupOf([namespaceItem('early'), ...Array.from({ length: 50 }, (_, i) => configMap('early', `c${i}`))]);
    const file = path.join(dir, 'store', backupKeys(backup.metadata.name).archive);
    const bytes = await fs.readFile(file);
    for (let i = 20; i < 60; i++) bytes[i] = bytes[i]! ^ 0x5a;
    await fs.writeFile(file, bytes);
    await assert.rejects(restore(backup), (err: unknown) => {
      assert.ok(err instanceof ArtifactIntegrityError, String(err));
      assert.match(err.message, /its sha256 is/);
      return true;
    });
    assert.deepEqual(writes(), []);
  });

  it("creates nothing when another of the backup's artifacts does not match its record (size), and names it", async () => {
    const backup = await backupOf([namespaceItem('badlog'), configMap('badlog', 'c')]);
    const key = backupKeys(backup.metadata.name).logs;
    await fs.appendFile(path.join(dir, 'store', key), 'x');
    await assert.rejects(restore(backup), (err: unknown) => {
      assert.ok(err instanceof ArtifactIntegrityError);
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, new RegExp(`artifact "${key}" failed its integrity check`));
      return true;
    });
    assert.deepEqual(writes(), []);
    assert.deepEqual(await new RestoreRepository(store).names(), []);
  });

  it('reads the archive while the other checks are made; when they fail, theirs is the error, the read stops and nothing is created', async () => {
    const archive = await backupArchive([namespaceItem('checked'), configMap('checked', 'c')]);
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    let readStopped = false;
    const source = {
      archiveName: 'checked.tar.gz',
      openArchive: async () => {
        opened();
        // The archive's first bytes, then nothing more: a download still under way.
        const stream = new Readable({
          read: () => undefined,
          destroy: (err, callback) => {
            readStopped = true;
            callback(err);
          },
        });
        stream.push(archive.subarray(0, 100));
        return stream;
      },
      orderedResources: {},
    };
    const refused = new ArtifactIntegrityError('backups/checked/checked-logs.gz', 'its size is 3 bytes, not 2 as its record says');
    // Fails once the archive is open: a restore that waited for the checks before reading would never open it.
    const checks = Promise.race([
      open.then(() => Promise.reject(refused)),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the archive was not opened while the checks were made')), 3000)),
    ]);
    const before = writes().length;
    await assert.rejects(
      runRestore(restoreRequest('checked-restore'), source, { client, logger: silentLogger, checks }),
      (err: unknown) => err === refused,
    );
    assert.ok(readStopped, 'the archive read stopped');
    assert.equal(writes().length, before);
  });

  it('creates nothing from a backup whose record lists no archive, and says so', async () => {
    const backup = await backupOf([namespaceItem('noarchive')], { without: ['archive'] });
    await assert.rejects(restore(backup), (err: unknown) => {
      assert.equal((err as { exitCode?: number }).exitCode, ExitCode.BadInput);
      assert.match((err as Error).message, new RegExp(`^backup "${backup.metadata.name}" has no archive in its record`));
      return true;
    });
    assert.deepEqual(writes(), []);
    assert.deepEqual(await new RestoreRepository(store).names(), []);
  });

  it('creates nothing from a truncated archive', async () => {
    const backup = await backupOf([namespaceItem('trunc'), configMap('trunc', 'c')]);
    const file = path.join(dir, 'store', backupKeys(backup.metadata.name).archive);
    await fs.truncate(file, (await fs.stat(file)).size - 5);
    await assert.rejects(restore(backup), (err: unknown) => err instanceof ArtifactIntegrityError && /it has \d+ bytes, its record says \d+/.test(err.message));
    assert.deepEqual(writes(), []);
  });

  for (const [what, entry] of [
    ['an entry with ..', { name: 'resources/configmaps/namespaces/hostile/../../../x.json', body: '{}' }],
    ['a symlink', { name: 'resources/configmaps/namespaces/hostile/link.json', type: 'symlink', linkname: '/etc/passwd' }],
    ['an absolute path', { name: '/etc/cron.d/x.json', body: '{}' }],
  ] as [string, RawEntry][]) {
    it(`creates nothing from an archive with ${what}, even after valid items`, async () => {
      const valid = [namespaceItem('hostile'), configMap('hostile', 'c')];
      const backup = await backupOf(await backupArchive(valid, { extra: [entry] }));
      await assert.rejects(restore(backup), (err: unknown) => err instanceof InvalidArchiveError && err.exitCode === ExitCode.BadInput);
      assert.deepEqual(writes(), []);
      assert.equal(await get('/api/v1/namespaces/hostile'), undefined);
    });
  }

  it('refuses an archive whose item says another name than its entry', async () => {
    const cm = configMap('liar', 'real');
    const backup = await backupOf(await tarGz([{ name: 'metadata/version', body: '1.1.0' }, { name: 'resources/configmaps/namespaces/liar/other.json', body: JSON.stringify(cm.object) }]));
    await assert.rejects(restore(backup), /entry "resources\/configmaps\/namespaces\/liar\/other\.json" holds an object named "real"/);
    assert.deepEqual(writes(), []);
  });

  it('rewrites owner references to the new uids, whichever is created first, and drops those of owners not restored', async () => {
    const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'web', 'owners', {
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    });
    const rs = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'web-1', 'owners', {
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    }, ownedBy(deployment));
    const pod = item('pods', 'v1', 'Pod', 'web-1-x', 'owners', { spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx:1' }] } }, { labels: { app: 'web' }, ...ownedBy(rs) });
    const gone = item('deployments.apps', 'apps/v1', 'Deployment', 'gone', 'owners');
    const orphan = configMap('owners', 'orphan', {}, ownedBy(gone, false));
    const backup = await backupOf([namespaceItem('owners'), deployment, rs, pod, orphan]);
    const result = await restore(backup, { includeOwnedResources: true });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    const newDeployment = (await get('/apis/apps/v1/namespaces/owners/deployments/web'))!;
    const newRs = (await get('/apis/apps/v1/namespaces/owners/replicasets/web-1'))!;
    const newPod = (await get('/api/v1/namespaces/owners/pods/web-1-x'))!;
    assert.notEqual(newDeployment.metadata.uid, deployment.object.metadata.uid);
    assert.deepEqual(newRs.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]), [['Deployment', 'web', newDeployment.metadata.uid, true]]);
    assert.deepEqual(newPod.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['ReplicaSet', 'web-1', newRs.metadata.uid]]);
    assert.equal((await get('/api/v1/namespaces/owners/configmaps/orphan'))!.metadata.ownerReferences, undefined);
    const podSpec = newPod.spec as { nodeName?: string; volumes?: { name: string }[] };
    assert.equal(podSpec.nodeName, undefined);
  });

  it('skips owned objects by default and leaves them to their controllers', async () => {
    const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'api', 'owned', {
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    });
    const rs = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'api-1', 'owned', {}, ownedBy(deployment));
    const backup = await backupOf([namespaceItem('owned'), deployment, rs]);
    const plan: PlanEntry[] = [];
    const result = await restore(backup, {}, (e) => plan.push(e));
    assert.equal(result.outcome.countsByResource['replicasets.apps']?.skipped, 1);
    assert.deepEqual(
      plan.filter((e) => e.resource === 'replicasets.apps'),
      [{ action: 'skip (owned)', resource: 'replicasets.apps', namespace: 'owned', name: 'api-1', detail: 'its controller Deployment api is restored and recreates it' }],
    );
    assert.equal(await get('/apis/apps/v1/namespaces/owned/replicasets/api-1'), undefined);
    assert.ok(await get('/apis/apps/v1/namespaces/owned/deployments/api'));
  });

  /** A claim bound to a PV with reclaim policy Delete (`dynamic`), and one bound to a Retain PV (`kept`). */
  function volumesAndClaims(ns: string, [deleted, retained]: [string, string]) {
    const bindAnnotations = { 'pv.kubernetes.io/bind-completed': 'yes', 'pv.kubernetes.io/bound-by-controller': 'yes', 'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com', 'volume.beta.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com' };
    const claim = (name: string, volumeName: string) =>
      item('persistentvolumeclaims', 'v1', 'PersistentVolumeClaim', name, ns, {
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage: '1Gi' } }, volumeName },
        status: { phase: 'Bound' },
      }, { annotations: bindAnnotations });
    const dynamic = claim('dynamic', deleted);
    const kept = claim('kept', retained);
    const volume = (name: string, policy: string, bound: ArchiveObject) =>
      item('persistentvolumes', 'v1', 'PersistentVolume', name, undefined, {
        spec: {
          capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', persistentVolumeReclaimPolicy: policy,
          csi: { driver: 'ebs.csi.aws.com', volumeHandle: `vol-${name}` },
          claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: bound.object.metadata.name, uid: bound.object.metadata.uid, resourceVersion: '7' },
        },
        status: { phase: 'Bound' },
      }, { annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' } });
    return [namespaceItem(ns), volume(deleted, 'Delete', dynamic), volume(retained, 'Retain', kept), dynamic, kept];
  }

  /**
   * The claims of volumesAndClaims() as restored: `dynamic` (its volume's policy Delete) unbound,
   * to be provisioned a new volume; `kept` bound to its retained volume again; neither with the
   * binding annotations of the cluster it was backed up from.
   */
  async function assertClaims(ns: string, keptVolume: string): Promise<void> {
    const dynamic = (await get(`/api/v1/namespaces/${ns}/persistentvolumeclaims/dynamic`))!;
    assert.equal((dynamic.spec as { volumeName?: string }).volumeName, undefined);
    assert.equal(dynamic.metadata.annotations, undefined);
    const kept = (await get(`/api/v1/namespaces/${ns}/persistentvolumeclaims/kept`))!;
    assert.equal((kept.spec as { volumeName?: string }).volumeName, keptVolume);
    assert.equal(kept.metadata.annotations, undefined);
  }

  it('does not restore a PV with reclaim policy Delete and gives its claim a new volume; a Retain PV is restored and its claim bound to it again', async () => {
    const ns = 'volumes';
    const backup = await backupOf(volumesAndClaims(ns, ['pvc-0001', 'pvc-0002']));
    const plan: PlanEntry[] = [];
    const result = await restore(backup, {}, (e) => plan.push(e));
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.countsByResource.persistentvolumes, { created: 1, updated: 0, skipped: 1, failed: 0 });
    assert.deepEqual(result.outcome.countsByResource.persistentvolumeclaims, { created: 2, updated: 0, skipped: 0, failed: 0 });
    assert.deepEqual(plan.find((e) => e.name === 'pvc-0001'), {
      action: 'skip (never restored)', resource: 'persistentvolumes', namespace: undefined, name: 'pvc-0001', detail: 'reclaim policy Delete and no volume snapshot: its claim is provisioned a new volume',
    });
    assert.equal(await get('/api/v1/persistentvolumes/pvc-0001'), undefined);
    const retained = (await get('/api/v1/persistentvolumes/pvc-0002'))!;
    assert.deepEqual((retained.spec as { claimRef?: unknown }).claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'kept' });
    await assertClaims(ns, 'pvc-0002');
  });

  /**
   * A backup of volumesAndClaims(), whose retained PV is in the cluster already, its claimRef
   * holding `claimUid`, in `phase` (set as the PV controller does, through the subresource).
   */
  async function backupWithVolumeInCluster(ns: string, volumes: [string, string], claimUid: string, phase: string): Promise<BackupRecord> {
    const objects = volumesAndClaims(ns, volumes);
    const retained = objects.find((o) => o.object.metadata.name === volumes[1])!.object;
    const claimRef = (retained.spec as { claimRef: Record<string, unknown> }).claimRef;
    await server.seed([{ ...retained, metadata: { name: volumes[1] }, spec: { ...(retained.spec as object), claimRef: { ...claimRef, uid: claimUid, resourceVersion: '7' } } }]);
    await client.json({ method: 'PATCH', path: `/api/v1/persistentvolumes/${volumes[1]}/status`, body: { status: { phase } }, contentType: 'application/merge-patch+json' });
    return backupOf(objects);
  }

  it('frees a Retain PV left Released in the cluster from its deleted claim, so that the restored claim binds to it again', async () => {
    // Back into the cluster the backup came from, after the namespace was deleted: the PV is
    // still there, Released, its claimRef holding the deleted claim's uid.
    const ns = 'volumes-released';
    const backup = await backupWithVolumeInCluster(ns, ['pvc-0021', 'pvc-0022'], 'deleted-claim-uid', 'Released');
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.countsByResource.persistentvolumes, { created: 0, updated: 1, skipped: 1, failed: 0 });
    const volume = (await get('/api/v1/persistentvolumes/pvc-0022'))!;
    assert.deepEqual((volume.spec as { claimRef?: unknown }).claimRef, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace: ns, name: 'kept' });
    await assertClaims(ns, 'pvc-0022');
  });

  it('leaves alone a PV of the backup that exists bound to a live claim', async () => {
    const ns = 'volumes-bound';
    const backup = await backupWithVolumeInCluster(ns, ['pvc-0031', 'pvc-0032'], 'live-claim-uid', 'Bound');
    const result = await restore(backup);
    assert.deepEqual(result.outcome.countsByResource.persistentvolumes, { created: 0, updated: 0, skipped: 2, failed: 0 });
    const bound = (await get('/api/v1/persistentvolumes/pvc-0032'))!;
    assert.equal((bound.spec as { claimRef: { uid?: string } }).claimRef.uid, 'live-claim-uid');
  });

  it('gives a new volume to the claims of Delete PVs, and keeps the binding of the others, also when the filters leave the PVs out', async () => {
    const ns = 'volumes-filtered';
    const backup = await backupOf(volumesAndClaims(ns, ['pvc-0011', 'pvc-0012']));
    const result = await restore(backup, { filters: { ...restoreRequest('x').filters, excludeResources: ['persistentvolumes'] } });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.equal(result.outcome.countsByResource.persistentvolumes, undefined);
    assert.deepEqual(result.outcome.countsByResource.persistentvolumeclaims, { created: 2, updated: 0, skipped: 0, failed: 0 });
    assert.equal(await get('/api/v1/persistentvolumes/pvc-0011'), undefined);
    assert.equal(await get('/api/v1/persistentvolumes/pvc-0012'), undefined);
    // As without the filter: the decision is the backup's, not the filters'.
    await assertClaims(ns, 'pvc-0012');
  });

  it('restores a pod that had ephemeral (debug) containers, without them', async () => {
    const pod = item('pods', 'v1', 'Pod', 'debugged', 'pods-debugged', {
      spec: {
        nodeName: 'node-1',
        containers: [{ name: 'app', image: 'nginx:1' }],
        ephemeralContainers: [{ name: 'debugger-x1', image: 'busybox', targetContainerName: 'app' }],
      },
    });
    const result = await restore(await backupOf([namespaceItem('pods-debugged'), pod]));
    assert.deepEqual(result.outcome.countsByResource.pods, { created: 1, updated: 0, skipped: 0, failed: 0 });
    const restored = (await get('/api/v1/namespaces/pods-debugged/pods/debugged'))!;
    assert.equal((restored.spec as { ephemeralContainers?: unknown }).ephemeralContainers, undefined);
  });

  it("restores pods into a cluster whose priority classes differ, taking this cluster's priorities", async () => {
    const classes = '/apis/scheduling.k8s.io/v1/priorityclasses';
    await server.seed([
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'batch-here' }, value: 500 },
      { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'default-here' }, value: 100, globalDefault: true },
    ]);
    try {
      const pod = (name: string, spec: Record<string, unknown>) => item('pods', 'v1', 'Pod', name, 'pods-priority', { spec: { containers: [{ name: 'app', image: 'nginx:1' }], ...spec } });
      const backup = await backupOf([
        namespaceItem('pods-priority'),
        pod('plain', { priority: 0, preemptionPolicy: 'PreemptLowerPriority' }),
        pod('batch', { priorityClassName: 'batch-here', priority: 1000, preemptionPolicy: 'PreemptLowerPriority' }),
      ]);
      const result = await restore(backup);
      assert.deepEqual(result.outcome.countsByResource.pods, { created: 2, updated: 0, skipped: 0, failed: 0 }, JSON.stringify(result.outcome.errors));
      const priorityOf = async (name: string) => ((await get(`/api/v1/namespaces/pods-priority/pods/${name}`))!.spec as { priority?: number }).priority;
      assert.equal(await priorityOf('plain'), 100);
      assert.equal(await priorityOf('batch'), 500);
    } finally {
      await client.json({ method: 'DELETE', path: `${classes}/default-here` });
    }
  });

  it('restores a pod of a cluster before 1.24 with the projected token of this cluster instead of its token Secret volume', async () => {
    const pod = item('pods', 'v1', 'Pod', 'legacy', 'pods-legacy', {
      spec: {
        serviceAccountName: 'default',
        volumes: [{ name: 'default-token-x7k2p', secret: { secretName: 'default-token-x7k2p' } }],
        containers: [{ name: 'app', image: 'nginx:1', volumeMounts: [{ name: 'default-token-x7k2p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }] }],
      },
    });
    const result = await restore(await backupOf([namespaceItem('pods-legacy'), pod]));
    assert.deepEqual(result.outcome.countsByResource.pods, { created: 1, updated: 0, skipped: 0, failed: 0 });
    const spec = (await get('/api/v1/namespaces/pods-legacy/pods/legacy'))!.spec as { volumes: { name: string }[] };
    assert.deepEqual(spec.volumes.map((v) => v.name.replace(/-[a-z0-9]{5}$/, '-*')), ['kube-api-access-*']);
  });

  it('leaves existing objects as they are with policy none, warning when they differ', async () => {
    await server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'exists-none' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'same', namespace: 'exists-none' }, data: { k: 'v' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'changed', namespace: 'exists-none' }, data: { k: 'local' } },
    ]);
    const backup = await backupOf([configMap('exists-none', 'same'), configMap('exists-none', 'changed'), configMap('exists-none', 'new')]);
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed');
    assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 1, updated: 0, skipped: 2, failed: 0 });
    assert.deepEqual(result.outcome.warnings.namespaces['exists-none'], [
      'configmaps exists-none/changed exists and differs from the backup in data; left as it is (--existing-resource-policy update replaces it)',
    ]);
    assert.deepEqual((await get('/api/v1/namespaces/exists-none/configmaps/changed'))!.data, { k: 'local' });
  });

  it('patches existing objects to the backup with policy update', async () => {
    await server.seed([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'changed', namespace: 'exists-update', labels: { local: 'yes' } }, data: { k: 'local' } }]);
    const backup = await backupOf([namespaceItem('exists-update'), configMap('exists-update', 'changed', { k: 'v', extra: 'x' })]);
    const result = await restore(backup, { existingResourcePolicy: 'update' });
    assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 0, updated: 1, skipped: 0, failed: 0 });
    const cm = (await get('/api/v1/namespaces/exists-update/configmaps/changed'))!;
    assert.deepEqual(cm.data, { k: 'v', extra: 'x' });
    assert.equal(cm.metadata.labels?.['kubectl-backup.io/backup-name'], backup.metadata.name);
    assert.equal(cm.metadata.labels?.local, 'yes');
  });

  it('with policy update, leaves a pod that refuses the patch as it is, with a warning and the restore labels', async () => {
    const pods = '/api/v1/namespaces/pods-update/pods';
    await server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pods-update' } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'pods-update', labels: { app: 'old' } }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'quiet', namespace: 'pods-update', labels: { app: 'old' } }, spec: { automountServiceAccountToken: false, containers: [{ name: 'app', image: 'nginx:1' }] } },
    ]);
    // Backed up as a server returns them: defaults, node, and for web its token volume.
    const backedUp = async (name: string) => {
      const live = (await get(`${pods}/${name}`))!;
      return item('pods', 'v1', 'Pod', name, 'pods-update', { spec: { ...(live.spec as object), nodeName: 'node-1' } }, { labels: { app: 'new' } });
    };
    const backup = await backupOf([namespaceItem('pods-update'), await backedUp('web'), await backedUp('quiet')]);
    const result = await restore(backup, { existingResourcePolicy: 'update' });

    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.countsByResource.pods, { created: 0, updated: 1, skipped: 1, failed: 0 });
    const [warning, ...more] = result.outcome.warnings.namespaces['pods-update'] ?? [];
    assert.match(warning ?? '', /^pods pods-update\/web exists and could not be updated \(422 Invalid: .*pod updates may not change fields.*\); left as it is, with this restore's labels$/);
    assert.deepEqual(more, []);
    const labelsOf = async (name: string) => (await get(`${pods}/${name}`))!.metadata.labels;
    const restoreLabels = { 'kubectl-backup.io/backup-name': backup.metadata.name, 'kubectl-backup.io/restore-name': result.record!.metadata.name };
    assert.deepEqual(await labelsOf('web'), { app: 'old', ...restoreLabels });
    assert.deepEqual(await labelsOf('quiet'), { app: 'new', ...restoreLabels });
  });

  for (const policy of ['none', 'update'] as const) {
    it(`with policy ${policy}, an existing object whose owner is restored later in the order ${policy === 'none' ? 'keeps its own owner references' : "gets the owner's new uid"}`, async () => {
      const ns = `owner-later-${policy}`;
      await server.seed([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'local-owner', namespace: ns } }]);
      const localOwner = (await get(`/api/v1/namespaces/${ns}/configmaps/local-owner`))!;
      const localRefs = [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'local-owner', uid: localOwner.metadata.uid! }];
      await server.seed([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dep', namespace: ns, ownerReferences: localRefs }, data: { k: 'local' } }]);
      // Deployments come after ConfigMaps: dep waits for its owner's new uid.
      const web = item('deployments.apps', 'apps/v1', 'Deployment', 'web', ns, {
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
      });
      const backup = await backupOf([namespaceItem(ns), configMap(ns, 'dep', { k: 'v' }, ownedBy(web, false)), web]);
      const result = await restore(backup, { existingResourcePolicy: policy });

      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 0, updated: policy === 'update' ? 1 : 0, skipped: policy === 'none' ? 1 : 0, failed: 0 });
      const refs = (await get(`/api/v1/namespaces/${ns}/configmaps/dep`))!.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]);
      if (policy === 'none') assert.deepEqual(refs, [['ConfigMap', 'local-owner', localOwner.metadata.uid]]);
      else assert.deepEqual(refs, [['Deployment', 'web', (await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`))!.metadata.uid]]);
    });
  }

  it('with policy update, gives a pod that refuses the patch no owner references of owners restored after it', async () => {
    const ns = 'owner-later-refused';
    await server.seed([{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: ns }, spec: { containers: [{ name: 'app', image: 'nginx:1' }] } }]);
    const live = (await get(`/api/v1/namespaces/${ns}/pods/web`))!;
    const rs = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'web-1', ns, {
      spec: { replicas: 0, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    });
    // The backed-up pod's node and token volume make the patch refused.
    const pod = item('pods', 'v1', 'Pod', 'web', ns, { spec: { ...(live.spec as object), nodeName: 'node-1' } }, { labels: { app: 'new' }, ...ownedBy(rs, false) });
    const backup = await backupOf([namespaceItem(ns), pod, rs]);
    const result = await restore(backup, { existingResourcePolicy: 'update' });

    assert.deepEqual(result.outcome.countsByResource.pods, { created: 0, updated: 0, skipped: 1, failed: 0 });
    assert.equal((await get(`/api/v1/namespaces/${ns}/pods/web`))!.metadata.ownerReferences, undefined);
  });

  for (const policy of ['none', 'update'] as const) {
    it(`with policy ${policy}, adds the backup's Secret references an existing ServiceAccount lacks, keeping its own`, async () => {
      const ns = `sa-merge-${policy}`;
      await server.seed([
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: ns }, imagePullSecrets: [{ name: 'local' }], secrets: [{ name: 'local-creds' }] },
        { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'same', namespace: ns }, imagePullSecrets: [{ name: 'regcred' }] },
      ]);
      const serviceAccount = (name: string, rest: Record<string, unknown>, meta: Record<string, unknown> = {}) => item('serviceaccounts', 'v1', 'ServiceAccount', name, ns, rest, meta);
      // Restored after the ServiceAccounts: with policy none, the merge must not bring its reference.
      const owner = configMap(ns, 'owner');
      const backup = await backupOf([
        namespaceItem(ns),
        owner,
        // builder-token-* is a token Secret: never restored, so never added either.
        serviceAccount('builder', { imagePullSecrets: [{ name: 'regcred' }, { name: 'local' }], secrets: [{ name: 'builder-token-abcde' }, { name: 'creds' }] }, { labels: { team: 'a' }, ...ownedBy(owner, false) }),
        serviceAccount('same', { imagePullSecrets: [{ name: 'regcred' }] }),
      ]);
      const plan: PlanEntry[] = [];
      await restore(backup, { dryRun: true, existingResourcePolicy: policy }, (e) => plan.push(e));
      assert.deepEqual(plan.filter((e) => e.resource === 'serviceaccounts').map((e) => [e.name, e.action, e.detail]).sort(), policy === 'none'
        ? [['builder', 'update', 'would add imagePullSecrets regcred, secrets creds'], ['same', 'skip (exists)', undefined]]
        : [['builder', 'update', undefined], ['same', 'update', undefined]]);

      const result = await restore(backup, { existingResourcePolicy: policy });
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(result.outcome.countsByResource.serviceaccounts, { created: 0, updated: policy === 'none' ? 1 : 2, skipped: policy === 'none' ? 1 : 0, failed: 0 });
      const builder = (await get(`/api/v1/namespaces/${ns}/serviceaccounts/builder`))!;
      assert.deepEqual(builder.imagePullSecrets, [{ name: 'local' }, { name: 'regcred' }]);
      assert.deepEqual(builder.secrets, [{ name: 'local-creds' }, { name: 'creds' }]);
      assert.deepEqual((await get(`/api/v1/namespaces/${ns}/serviceaccounts/same`))!.imagePullSecrets, [{ name: 'regcred' }]);
      const ownerUid = (await get(`/api/v1/namespaces/${ns}/configmaps/owner`))!.metadata.uid;
      assert.deepEqual(builder.metadata.ownerReferences?.map((r) => r.uid), policy === 'none' ? undefined : [ownerUid]);
      if (policy === 'none') {
        assert.equal(builder.metadata.labels, undefined);
        assert.deepEqual(result.outcome.warnings.namespaces[ns], [
          `serviceaccounts ${ns}/builder exists and differs from the backup in metadata.labels; left as it is but for the imagePullSecrets regcred, secrets creds it lacked (--existing-resource-policy update replaces it)`,
        ]);
      } else {
        assert.equal(builder.metadata.labels?.team, 'a');
        assert.equal(result.outcome.warnings.namespaces[ns], undefined);
      }
    });
  }

  it('adds the references once when the PATCH that added them is retried after its answer was lost', async () => {
    const ns = 'sa-merge-retried';
    await server.seed([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: ns }, imagePullSecrets: [{ name: 'local' }] }]);
    const backup = await backupOf([namespaceItem(ns), item('serviceaccounts', 'v1', 'ServiceAccount', 'builder', ns, { imagePullSecrets: [{ name: 'regcred' }] })]);
    server.faults.add({ method: 'PATCH', path: `^/api/v1/namespaces/${ns}/serviceaccounts/builder$`, reset: 'mid-body' });
    try {
      const result = await restore(backup);
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(result.outcome.countsByResource.serviceaccounts, { created: 0, updated: 1, skipped: 0, failed: 0 });
      assert.deepEqual((await get(`/api/v1/namespaces/${ns}/serviceaccounts/builder`))!.imagePullSecrets, [{ name: 'local' }, { name: 'regcred' }]);
    } finally {
      server.faults.clear();
    }
  });

  it('adds the references against the ServiceAccount as it now is when something changed it between the read and the patch', async () => {
    const ns = 'sa-merge-changed';
    const path = `/api/v1/namespaces/${ns}/serviceaccounts/builder`;
    await server.seed([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: ns }, imagePullSecrets: [{ name: 'local' }] }]);
    const backup = await backupOf([namespaceItem(ns), item('serviceaccounts', 'v1', 'ServiceAccount', 'builder', ns, { imagePullSecrets: [{ name: 'regcred' }] })]);
    // The restore's PATCH is held while a controller adds its own pull secret: its version test fails.
    server.faults.add({ method: 'PATCH', path: `^${path}$`, delayMs: 300 });
    const patches = () => server.requestLog.list().filter((e) => e.method === 'PATCH' && e.path === path);
    const byController = 'fieldManager=controller';
    const controller = (async () => {
      // Once the restore's PATCH is in (logged as it arrives, then held).
      for (const deadline = Date.now() + 5000; patches().length === 0; ) {
        if (Date.now() > deadline) throw new Error('the restore sent no PATCH');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await client.json({ method: 'PATCH', path, query: { fieldManager: 'controller' }, contentType: 'application/merge-patch+json', body: { imagePullSecrets: [{ name: 'local' }, { name: 'dockercfg' }] } });
    })();
    try {
      const result = await restore(backup);
      await controller;
      // The first, refused for the version the controller changed; the second against the object as it then was.
      assert.equal(patches().filter((e) => e.query !== byController).length, 2, JSON.stringify(patches()));
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(result.outcome.countsByResource.serviceaccounts, { created: 0, updated: 1, skipped: 0, failed: 0 });
      assert.equal(result.outcome.warnings.namespaces[ns], undefined);
      assert.deepEqual((await get(path))!.imagePullSecrets, [{ name: 'local' }, { name: 'dockercfg' }, { name: 'regcred' }]);
    } finally {
      server.faults.clear();
    }
  });

  it("warns, and leaves the ServiceAccount as it is, when the backup's references cannot be added", async () => {
    const ns = 'sa-merge-refused';
    await server.seed([{ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder', namespace: ns } }]);
    const backup = await backupOf([namespaceItem(ns), item('serviceaccounts', 'v1', 'ServiceAccount', 'builder', ns, { imagePullSecrets: [{ name: 'regcred' }] })]);
    server.faults.add({ method: 'PATCH', path: `^/api/v1/namespaces/${ns}/serviceaccounts/builder$`, status: 403, message: 'patch refused by a test' });
    try {
      const result = await restore(backup);
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(result.outcome.countsByResource.serviceaccounts, { created: 0, updated: 0, skipped: 1, failed: 0 });
      assert.deepEqual(result.outcome.warnings.namespaces[ns], [
        `serviceaccounts ${ns}/builder exists and lacks imagePullSecrets regcred of the backup, which could not be added: 403 Forbidden: patch refused by a test`,
        `serviceaccounts ${ns}/builder exists and differs from the backup in imagePullSecrets; left as it is (--existing-resource-policy update replaces it)`,
      ]);
    } finally {
      server.faults.clear();
    }
  });

  it('with policy update, fails an object that can be neither patched nor labelled, saying both', async () => {
    await server.seed([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'locked', namespace: 'update-refused' }, data: { k: 'local' } }]);
    const backup = await backupOf([namespaceItem('update-refused'), configMap('update-refused', 'locked', { k: 'v' })]);
    server.faults.add({ method: 'PATCH', path: '^/api/v1/namespaces/update-refused/configmaps/locked$', status: 403, message: 'patch refused by a test', times: 2 });
    try {
      const result = await restore(backup, { existingResourcePolicy: 'update' });
      assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 0, updated: 0, skipped: 0, failed: 1 });
      assert.deepEqual(result.outcome.errors.namespaces['update-refused'], [
        'configmaps update-refused/locked: exists, and could not be updated (403 Forbidden: patch refused by a test) nor labelled: 403 Forbidden: patch refused by a test',
      ]);
      assert.deepEqual((await get('/api/v1/namespaces/update-refused/configmaps/locked'))!.data, { k: 'local' });
    } finally {
      server.faults.clear();
    }
  });

  it('creates CRDs first and waits until they are Established before their custom resources', async () => {
    const crd = (plural: string, kind: string): ArchiveObject =>
      item('customresourcedefinitions.apiextensions.k8s.io', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', `${plural}.example.com`, undefined, {
        spec: {
          group: 'example.com',
          scope: 'Namespaced',
          names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List` },
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
        status: { conditions: [{ type: 'Established', status: 'True' }] },
      });
    const widget = item('widgets.example.com', 'example.com/v1', 'Widget', 'w1', 'crds', { spec: { size: 3 } });
    const gadget = item('gadgets.example.com', 'example.com/v1', 'Gadget', 'g1', 'crds', { spec: { size: 1 } });
    const backup = await backupOf([crd('widgets', 'Widget'), crd('gadgets', 'Gadget'), namespaceItem('crds'), widget, gadget, configMap('crds', 'plain')]);
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'PartiallyFailed');
    assert.deepEqual((await get('/apis/example.com/v1/namespaces/crds/widgets/w1'))?.spec, { size: 3 });
    assert.ok(await get('/api/v1/namespaces/crds/configmaps/plain'));
    assert.deepEqual(result.outcome.countsByResource['gadgets.example.com'], { created: 0, updated: 0, skipped: 0, failed: 1 });
    assert.deepEqual(result.outcome.errors.cluster, ['CustomResourceDefinition gadgets.example.com is not Established after 1.5s']);
    assert.deepEqual(result.outcome.errors.namespaces.crds, ['gadgets.example.com crds/g1: CustomResourceDefinition gadgets.example.com is not Established after 1.5s']);
  });

  it('waits for discovery to serve a CRD that is Established, when discovery trails the condition', async () => {
    const crd = item('customresourcedefinitions.apiextensions.k8s.io', 'apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'sprockets.example.com', undefined, {
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'sprockets', singular: 'sprocket', kind: 'Sprocket', listKind: 'SprocketList' },
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
      },
    });
    const archive = await backupArchive([crd, namespaceItem('trailing'), item('sprockets.example.com', 'example.com/v1', 'Sprocket', 's1', 'trailing', { spec: { teeth: 12 } })]);
    // Discovery as apiextensions-apiserver's discovery controller may give it: without the
    // CRD's resource for the first loads after it is Established.
    let loads = 0;
    const loadDiscovery = async () => {
      const discovery = await Discovery.load(client);
      return ++loads <= 3 ? Discovery.fromResources(discovery.all().filter((r) => r.resource !== 'sprockets')) : discovery;
    };
    const outcome = await runRestore(
      restoreRequest('trailing-restore'),
      { archiveName: 'trailing.tar.gz', openArchive: async () => Readable.from([archive]), orderedResources: {} },
      { client, logger: silentLogger, loadDiscovery },
      { crdEstablishTimeoutMs: 5000, crdPollIntervalMs: 10 },
    );
    assert.equal(outcome.phase, 'Completed', JSON.stringify(outcome.errors));
    assert.ok(loads > 3, `discovery loaded ${loads} times`);
    assert.deepEqual((await get('/apis/example.com/v1/namespaces/trailing/sprockets/s1'))?.spec, { teeth: 12 });
  });

  it('sends integers beyond 2^53 digit for digit, as the backup stored them', async () => {
    const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;
    const sent: string[] = [];
    const sentAsBytes: boolean[] = [];
    const capturing: KubeClient = {
      server: client.server,
      json: <T>(req: KubeRequest) => {
        if (req.method === 'POST' && req.path.endsWith('/configmaps')) {
          sentAsBytes.push(req.body instanceof Uint8Array);
          sent.push(req.body instanceof Uint8Array ? Buffer.from(req.body).toString('utf8') : JSON.stringify(req.body));
        }
        return client.json<T>(req);
      },
      stream: (req: KubeRequest) => client.stream(req),
    };
    // A ConfigMap cannot hold numbers, but a field the server drops can: what counts is what is sent.
    const big = item('configmaps', 'v1', 'ConfigMap', 'ids', 'bigints', { data: { k: 'v' }, unknownField: rawJSON('18446744073709551615') });
    const backup = await backupOf([namespaceItem('bigints'), big]);
    const result = await createRestore(restoreRequest(backup.metadata.name), backup, { client: capturing, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });
    assert.equal(result.outcome.phase, 'Completed');
    assert.equal(sent.length, 1);
    assert.match(sent[0]!, /"unknownField":18446744073709551615[,}]/);
    // Prepared while the archive was read (early-preparation.ts): sent as the bytes spooled then.
    assert.deepEqual(sentAsBytes, [true]);
    // Compared with the object that exists now (structuredClone refuses such integers).
    const again = await createRestore(restoreRequest(backup.metadata.name), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });
    assert.deepEqual(again.outcome.countsByResource.configmaps, { created: 0, updated: 0, skipped: 1, failed: 0 });
  });

  it('moves mapped namespaces, with the source namespace\'s labels and annotations', async () => {
    const rb = item('rolebindings.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'RoleBinding', 'rb', 'src', {
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'app', namespace: 'src' }],
    });
    const backup = await backupOf([item('namespaces', 'v1', 'Namespace', 'src', undefined, {}, { labels: { team: 'a', 'kubernetes.io/metadata.name': 'src' }, annotations: { note: 'x' } }), configMap('src', 'c'), rb]);
    const result = await restore(backup, { namespaceMappings: parseNamespaceMappings('src:dst') });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    const ns = (await get('/api/v1/namespaces/dst'))!;
    assert.equal(ns.metadata.labels?.team, 'a');
    assert.equal(ns.metadata.labels?.['kubernetes.io/metadata.name'], 'dst');
    assert.equal(ns.metadata.annotations?.note, 'x');
    assert.ok(await get('/api/v1/namespaces/dst/configmaps/c'));
    assert.equal(await get('/api/v1/namespaces/src'), undefined);
    assert.deepEqual((await get('/apis/rbac.authorization.k8s.io/v1/namespaces/dst/rolebindings/rb'))!.subjects, [{ kind: 'ServiceAccount', name: 'app', namespace: 'dst' }]);
  });

  it('makes namespaces that the backup does not hold, and labels what it creates with the backup and restore names', async () => {
    const backup = await backupOf([configMap('bare', 'c')]);
    // Longer than a label value may be: the label holds its shortened form.
    const name = `${backup.metadata.name}-${'long'.repeat(20)}`;
    const result = await restore(backup, { name });
    assert.equal(result.outcome.phase, 'Completed');
    const labels = { 'kubectl-backup.io/backup-name': backup.metadata.name, 'kubectl-backup.io/restore-name': labelValue(name) };
    assert.equal(labels['kubectl-backup.io/restore-name'].length, 63);
    assert.deepEqual((await get('/api/v1/namespaces/bare'))!.metadata.labels, { ...labels, 'kubernetes.io/metadata.name': 'bare' });
    assert.deepEqual((await get('/api/v1/namespaces/bare/configmaps/c'))!.metadata.labels, labels);
  });

  it("restores in the backup's --ordered-resources order, with the restore's own for the resources it names", async () => {
    const secret = (name: string) => item('secrets', 'v1', 'Secret', name, 'ord', { data: { k: 'dg==' } });
    const items = [namespaceItem('ord'), configMap('ord', 'a'), configMap('ord', 'b'), configMap('ord', 'c'), secret('x'), secret('y'), secret('z')];
    const backup = await backupOf(items, { spec: { orderedResources: { cm: 'ord/c,ord/b', secrets: 'ord/z' } } });
    const order = async (overrides: Partial<RestoreRequest>) => {
      const plan: PlanEntry[] = [];
      await restore(backup, { dryRun: true, ...overrides }, (e) => plan.push(e));
      const names = (resource: string) => plan.filter((e) => e.resource === resource).map((e) => e.name);
      return { configmaps: names('configmaps'), secrets: names('secrets') };
    };
    assert.deepEqual(await order({}), { configmaps: ['c', 'b', 'a'], secrets: ['z', 'x', 'y'] });
    const own = { filters: { ...defaultFilters, orderedResources: { configmaps: ['ord/b'] } } };
    assert.deepEqual(await order(own), { configmaps: ['b', 'a', 'c'], secrets: ['z', 'x', 'y'] });

    const result = await restore(backup, own);
    assert.deepEqual(result.record!.spec.orderedResources, { configmaps: 'ord/b' });
    assert.deepEqual((await new RestoreRepository(store).require(result.record!.metadata.name)).spec.orderedResources, { configmaps: 'ord/b' });
  });

  it('creates the items --ordered-resources lists one after another, each done before the next starts', async () => {
    const items = [namespaceItem('ord-seq'), configMap('ord-seq', 'first'), configMap('ord-seq', 'second'), configMap('ord-seq', 'third'), configMap('ord-seq', 'other')];
    const backup = await backupOf(items, { spec: { orderedResources: { configmaps: 'ord-seq/third,ord-seq/first,ord-seq/second' } } });
    // Each create of a listed item answers late: started together, they would overlap.
    const events: string[] = [];
    const slow: KubeClient = {
      server: client.server,
      json: async <T>(req: KubeRequest) => {
        // The restorer sends the item's bytes as prepared.
        const sent = req.body;
        const body = typeof sent === 'string' || sent instanceof Uint8Array ? (JSON.parse(Buffer.from(sent).toString('utf8')) as KubeObject) : sent;
        const name = req.method === 'POST' && req.path === '/api/v1/namespaces/ord-seq/configmaps' ? (body as KubeObject | undefined)?.metadata.name : undefined;
        if (name === undefined || name === 'other') return client.json<T>(req);
        events.push(`start ${name}`);
        await new Promise((resolve) => setTimeout(resolve, 30));
        try {
          return await client.json<T>(req);
        } finally {
          events.push(`end ${name}`);
        }
      },
      stream: (req) => client.stream(req),
    };
    const result = await createRestore(restoreRequest(backup.metadata.name), backup, { client: slow, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(events, ['start third', 'end third', 'start first', 'end first', 'start second', 'end second']);
  });

  it('warns once of each --ordered-resources entry that is not in the backup, namespaces included', async () => {
    const backup = await backupOf([namespaceItem('ord-warn'), configMap('ord-warn', 'a')], { spec: { orderedResources: { namespaces: 'gone,ord-warn', configmaps: 'ord-warn/missing,ord-warn/a' } } });
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.warnings.cluster, ['ordered resource namespaces gone is not in the backup', 'ordered resource configmaps ord-warn/missing is not in the backup']);
  });

  it('resolves resource filters by the short names the cluster serves, and warns of names that match nothing in the backup', async () => {
    const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'd', 'short', {
      spec: { selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    });
    const backup = await backupOf([namespaceItem('short'), configMap('short', 'c'), deployment, item('secrets', 'v1', 'Secret', 's', 'short', { data: { k: 'dg==' } })]);
    const result = await restore(backup, { filters: { ...restoreRequest('x').filters, includeResources: ['cm', 'deploy', 'nosuch'], excludeResources: ['deploy'] } });
    assert.equal(result.outcome.phase, 'Completed');
    assert.ok(await get('/api/v1/namespaces/short/configmaps/c'), 'cm is configmaps');
    assert.equal(await get('/apis/apps/v1/namespaces/short/deployments/d'), undefined, 'deploy is deployments.apps, excluded');
    assert.equal(await get('/api/v1/namespaces/short/secrets/s'), undefined, 'secrets were not included');
    assert.deepEqual(result.outcome.warnings.cluster, ['resource filter "nosuch" matches no resource in the backup']);
  });

  it('warns of namespaces named in --include-namespaces or --namespace-mappings that the backup does not hold', async () => {
    const backup = await backupOf([namespaceItem('held'), configMap('held', 'c'), configMap('only-items', 'd')]);
    const filters = { ...restoreRequest('x').filters, includeNamespaces: ['held', 'only-items', 'typo', 'nothing-*'] };
    const result = await restore(backup, { filters, namespaceMappings: parseNamespaceMappings('held:held-2,elsewhere:new') });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.warnings.cluster, [
      '--include-namespaces: the backup holds nothing of namespace typo',
      '--namespace-mappings: the backup holds nothing of namespace elsewhere, so nothing is restored into new',
    ]);
    assert.ok(await get('/api/v1/namespaces/held-2/configmaps/c'));
    assert.ok(await get('/api/v1/namespaces/only-items/configmaps/d'));
    // Each flag alone is looked at too (dry runs: nothing more is created).
    const alone = async (overrides: Partial<RestoreRequest>) => (await restore(backup, { dryRun: true, ...overrides })).outcome.warnings.cluster;
    assert.deepEqual(await alone({ filters: { ...restoreRequest('x').filters, includeNamespaces: ['typo'] } }), ['--include-namespaces: the backup holds nothing of namespace typo']);
    assert.deepEqual(await alone({ namespaceMappings: parseNamespaceMappings('elsewhere:new') }), ['--namespace-mappings: the backup holds nothing of namespace elsewhere, so nothing is restored into new']);
  });

  it('reads each target namespace once: one that exists is neither read again nor created, a missing one is made', async () => {
    await server.seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'there' } }]);
    const backup = await backupOf([configMap('there', 'a'), configMap('missing', 'b')]);
    server.requestLog.clear();
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    const log = server.requestLog.list();
    assert.equal(log.filter((e) => e.method === 'GET' && e.path === '/api/v1/namespaces/there').length, 1);
    assert.equal(log.filter((e) => e.method === 'GET' && e.path === '/api/v1/namespaces/missing').length, 1);
    assert.equal(log.filter((e) => e.method === 'POST' && e.path === '/api/v1/namespaces').length, 1, 'only the missing one is made');
    assert.ok(await get('/api/v1/namespaces/missing/configmaps/b'));
  });

  describe('into a namespace still being deleted', () => {
    /** Namespace `name` with a ConfigMap whose finalizer holds it, then deleted: it stays Terminating until release(). */
    async function terminatingNamespace(name: string): Promise<{ release: () => Promise<void> }> {
      await server.seed([
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', namespace: name, finalizers: ['example.com/hold'] } },
      ]);
      await client.json({ method: 'DELETE', path: `/api/v1/namespaces/${name}` });
      assert.ok((await get(`/api/v1/namespaces/${name}`))?.metadata.deletionTimestamp, 'the namespace is terminating');
      return {
        release: async () => {
          await client.json({ method: 'PATCH', path: `/api/v1/namespaces/${name}/configmaps/held`, contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
        },
      };
    }
    const restoreWaiting = (backup: BackupRecord, logger: Logger, overrides: Partial<RestoreRequest> = {}, timeoutMs = 10_000) =>
      createRestore(restoreRequest(backup.metadata.name, overrides), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger }, { namespaceTerminatingTimeoutMs: timeoutMs, namespacePollIntervalMs: 20 });

    it('waits for it to go, then restores into it in one run', async () => {
      const { release } = await terminatingNamespace('going');
      const backup = await backupOf([namespaceItem('going'), configMap('going', 'kept')]);
      const logger = new MemoryLogger();
      const restoring = restoreWaiting(backup, logger);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(writes().filter((e) => e.path.startsWith('/api/v1/namespaces/going/configmaps') && e.method === 'POST').length, 0, 'nothing created while it terminates');
      await release();
      const result = await restoring;
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.equal((await get('/api/v1/namespaces/going'))?.metadata.deletionTimestamp, undefined, 'made again');
      assert.ok(await get('/api/v1/namespaces/going/configmaps/kept'));
      assert.ok(logger.lines.some((l) => l.message === 'waiting for the namespace to finish terminating before restoring into it' && l.fields.namespace === 'going'));
    });

    it('gives up after the timeout with an error naming the namespace; a dry run warns and does not wait', async () => {
      const { release } = await terminatingNamespace('stuck');
      const backup = await backupOf([namespaceItem('stuck'), configMap('stuck', 'c')]);
      const planned = await restoreWaiting(backup, silentLogger, { dryRun: true });
      assert.deepEqual(planned.outcome.warnings.namespaces.stuck, ['namespace stuck is terminating: the restore would wait for it to go']);
      const result = await restoreWaiting(backup, silentLogger, {}, 150);
      assert.equal(result.outcome.phase, 'PartiallyFailed');
      assert.match(result.outcome.errors.namespaces.stuck![0]!, /^namespace stuck is still terminating after \S+: its items cannot be created$/);
      await release();
    });
  });

  it('takes a Service that exists, whose create the server refuses for the node port it holds itself (422), as existing', async () => {
    // As a real server: allocation comes before the name is found taken (velero-io/velero#2308).
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'ports-kept' }, spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080, nodePort: 30123 }] } };
    await server.seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ports-kept' } }, service]);
    await assert.rejects(client.json({ method: 'POST', path: '/api/v1/namespaces/ports-kept/services', body: service }), (err: unknown) => err instanceof KubeApiError && err.code === 422);
    const backup = await backupOf([namespaceItem('ports-kept'), item('services', 'v1', 'Service', 'web', 'ports-kept', { spec: { ...service.spec, clusterIP: '10.96.0.77', clusterIPs: ['10.96.0.77'] } })]);
    const result = await restore(backup, { preserveNodePorts: true });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(result.outcome.countsByResource.services, { created: 0, updated: 0, skipped: 1, failed: 0 });
  });

  describe('over an object of the same name still being deleted', () => {
    const restoreWaiting = (backup: BackupRecord, timeoutMs: number) =>
      createRestore(restoreRequest(backup.metadata.name), backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger }, { namespaceTerminatingTimeoutMs: timeoutMs, namespacePollIntervalMs: 20, crdEstablishTimeoutMs: 1500, crdPollIntervalMs: 20 });
    /** A ConfigMap held by a finalizer, then deleted: it stays, being deleted, until release(). */
    async function heldConfigMap(namespace: string, name: string): Promise<() => Promise<void>> {
      await server.seed([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } }, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, finalizers: ['example.com/hold'] }, data: { from: 'before' } }]);
      await client.json({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}/configmaps/${name}` });
      assert.ok((await get(`/api/v1/namespaces/${namespace}/configmaps/${name}`))?.metadata.deletionTimestamp, 'being deleted');
      return async () => {
        await client.json({ method: 'PATCH', path: `/api/v1/namespaces/${namespace}/configmaps/${name}`, contentType: 'application/merge-patch+json', body: { metadata: { finalizers: null } } });
      };
    }

    it('waits for it to go and creates the item then, in one run, instead of keeping what goes', async () => {
      const release = await heldConfigMap('held-object', 'settings');
      const backup = await backupOf([namespaceItem('held-object'), configMap('held-object', 'settings')]);
      const restoring = restoreWaiting(backup, 10_000);
      await new Promise((resolve) => setTimeout(resolve, 150));
      await release();
      const result = await restoring;
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 1, updated: 0, skipped: 0, failed: 0 });
      const restored = (await get('/api/v1/namespaces/held-object/configmaps/settings'))!;
      assert.equal(restored.metadata.deletionTimestamp, undefined);
      assert.notEqual((restored as { data?: { from?: string } }).data?.from, 'before', "the backup's, not the one that went");
    });

    it('fails the item, naming why, when it is still there after the timeout', async () => {
      const release = await heldConfigMap('stuck-object', 'settings');
      const backup = await backupOf([namespaceItem('stuck-object'), configMap('stuck-object', 'settings')]);
      const result = await restoreWaiting(backup, 150);
      assert.equal(result.outcome.phase, 'PartiallyFailed');
      assert.match(JSON.stringify(result.outcome.errors), /an object of this name is being deleted and was still there after/);
      await release();
    });
  });

  it('plans item by item in a dry run, and changes nothing', async () => {
    await server.seed([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'there', namespace: 'dry' }, data: { k: 'v' } }]);
    const owner = item('deployments.apps', 'apps/v1', 'Deployment', 'd', 'dry');
    const backup = await backupOf([
      namespaceItem('dry'),
      configMap('dry', 'there'),
      configMap('dry', 'new'),
      item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'd-1', 'dry', {}, ownedBy(owner)),
      owner,
      item('events', 'v1', 'Event', 'e', 'dry'),
      item('secrets', 'v1', 'Secret', 'token', 'dry', { type: 'kubernetes.io/service-account-token', data: { token: 'c2VjcmV0' } }),
      item('pods', 'v1', 'Pod', 'etcd-node-1', 'dry', { spec: { containers: [{ name: 'etcd', image: 'etcd' }] } }, { annotations: { 'kubernetes.io/config.mirror': '3f1c2e' } }),
      item('jobs.batch', 'batch/v1', 'Job', 'migrate', 'dry', { spec: { template: {} }, status: { succeeded: 1, completionTime: '2024-01-01T02:00:00Z' } }),
    ]);
    server.requestLog.clear();
    const plan: PlanEntry[] = [];
    const logger = new MemoryLogger();
    const result = await restore(backup, { dryRun: true }, (e) => plan.push(e), logger);
    assert.deepEqual(writes(), []);
    assert.ok(!logger.lines.some((l) => l.message === 'resource restored'), 'a dry run logs no type as restored');
    assert.deepEqual(logger.lines.find((l) => l.message === 'resource planned' && l.fields.resource === 'configmaps')?.fields, { resource: 'configmaps', created: 1, updated: 0, skipped: 1, failed: 0 });
    assert.equal(result.record, undefined);
    const stored: string[] = [];
    for await (const object of store.list(`restores/r-${backup.metadata.name}-`)) stored.push(object.key);
    assert.deepEqual(stored, [], 'nothing is stored, not even a resource list');
    assert.deepEqual(
      plan.map((e) => `${e.action} ${e.resource} ${e.namespace ?? ''}/${e.name}`),
      [
        'skip (exists) namespaces /dry',
        'skip (never restored) secrets dry/token',
        'create configmaps dry/new',
        'skip (exists) configmaps dry/there',
        'skip (never restored) pods dry/etcd-node-1',
        'skip (owned) replicasets.apps dry/d-1',
        'create deployments.apps dry/d',
        'skip (never restored) events dry/e',
        'skip (completed) jobs.batch dry/migrate',
      ],
    );
    assert.ok(!JSON.stringify(plan).includes('c2VjcmV0'));
    assert.equal(plan.find((e) => e.name === 'migrate')?.detail, 'it completed at 2024-01-01T02:00:00Z and would run again');
    assert.equal(result.outcome.countsByResource['jobs.batch']?.skipped, 1);
  });

  it('retries when the API server throttles creates (429 Retry-After)', async () => {
    server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/throttled/configmaps$', status: 429, retryAfterSeconds: 0, times: 3 });
    const backup = await backupOf([namespaceItem('throttled'), configMap('throttled', 'a'), configMap('throttled', 'b')]);
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed');
    assert.equal(server.requestLog.list().filter((e) => e.status === 429).length, 3);
    assert.ok(await get('/api/v1/namespaces/throttled/configmaps/a'));
  });

  it('keeps creating through throttling that lasts longer than the retries of other faults (429 Retry-After: 1 for 6s)', async () => {
    // The pauses pass on a clock of the test's own: the seconds of throttling take none.
    let clock = 0;
    const patient = new HttpKubeClient(
      { server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} },
      { retry: { attempts: 5, baseDelayMs: 5, maxDelayMs: 50, throttledForMs: 60_000 }, now: () => clock, sleep: async (ms) => void (clock += ms) },
    );
    server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/apf/configmaps$', status: 429, retryAfterSeconds: 1, times: 6 });
    const backup = await backupOf([namespaceItem('apf'), configMap('apf', 'a')]);
    const result = await createRestore(restoreRequest(backup.metadata.name), backup, { client: patient, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.equal(server.requestLog.list().filter((e) => e.status === 429).length, 6);
    assert.ok(clock >= 6000, `throttled for ${clock} ms`);
    assert.ok(await get('/api/v1/namespaces/apf/configmaps/a'));
  });

  it('says of a create that kept failing how many attempts were made over how long, and the last answer', async () => {
    server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/unavailable/configmaps$', status: 503, message: 'etcd is away', times: 0 });
    try {
      const backup = await backupOf([namespaceItem('unavailable'), configMap('unavailable', 'a')]);
      const result = await restore(backup);
      assert.equal(result.outcome.phase, 'PartiallyFailed');
      const [error] = result.outcome.errors.namespaces.unavailable ?? [];
      assert.match(error ?? '', /^configmaps unavailable\/a: could not create: 503 ServiceUnavailable: etcd is away \(gave up after 5 attempts over \d+\.\ds\)$/);
    } finally {
      server.faults.clear();
    }
  });

  describe('a create whose answer was lost', () => {
    afterEach(() => server.faults.clear());

    const posts = (pathname: string) => server.requestLog.list().filter((e) => e.method === 'POST' && e.path === pathname);

    it('counts an item the lost attempt made as created, and gives it the owner references it waits for', async () => {
      const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'web', 'lost', {
        spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
      });
      // Restored before its owner: it gets its reference once the Deployment exists.
      const settings = configMap('lost', 'settings', { k: 'v' }, ownedBy(deployment));
      const backup = await backupOf([namespaceItem('lost'), deployment, settings]);
      // The server makes the ConfigMap, and the connection drops before its answer is through.
      server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/lost/configmaps$', reset: 'mid-body' });
      const result = await restore(backup, { includeOwnedResources: true });
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(posts('/api/v1/namespaces/lost/configmaps').map((e) => [e.status, e.fault]), [[201, 'mid-body'], [409, undefined]]);
      assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 1, updated: 0, skipped: 0, failed: 0 });
      assert.deepEqual(result.outcome.warnings, { cluster: [], namespaces: {} });
      const owner = (await get('/apis/apps/v1/namespaces/lost/deployments/web'))!;
      const made = (await get('/api/v1/namespaces/lost/configmaps/settings'))!;
      assert.deepEqual(made.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid]), [['Deployment', 'web', owner.metadata.uid]]);
      assert.deepEqual(await readResourceList(result.record!), { 'v1/Namespace': ['lost(created)'], 'apps/v1/Deployment': ['lost/web(created)'], 'v1/ConfigMap': ['lost/settings(created)'] });
    });

    it('counts a namespace the lost attempt made as created: one made for items, and a mapped one of the backup', async () => {
      const backup = await backupOf([configMap('bare-src', 'c'), namespaceItem('held-src'), configMap('held-src', 'd')]);
      // The first create of each namespace: the backup's, then the one made for items.
      server.faults.add({ method: 'POST', path: '^/api/v1/namespaces$', reset: 'mid-body' });
      server.faults.add({ method: 'POST', path: '^/api/v1/namespaces$', reset: 'mid-body', skip: 1 });
      const result = await restore(backup, { namespaceMappings: parseNamespaceMappings('bare-src:bare-dst,held-src:held-dst') });
      assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
      assert.deepEqual(posts('/api/v1/namespaces').map((e) => e.status), [201, 409, 201, 409]);
      assert.deepEqual(result.outcome.countsByResource.namespaces, { created: 2, updated: 0, skipped: 0, failed: 0 });
      assert.deepEqual((await readResourceList(result.record!))['v1/Namespace']?.sort(), ['bare-dst(created)', 'held-dst(created)']);
      assert.ok(await get('/api/v1/namespaces/bare-dst/configmaps/c'));
      assert.ok(await get('/api/v1/namespaces/held-dst/configmaps/d'));
    });

    it('still skips an object that was there before the retried create, made by someone else', async () => {
      await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'theirs' } } });
      await client.json({ method: 'POST', path: '/api/v1/namespaces/theirs/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' } } });
      const backup = await backupOf([configMap('theirs', 'c')]);
      // Refused without being made: the retry's 409 is about the object that was there.
      server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/theirs/configmaps$', status: 503 });
      const result = await restore(backup);
      assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 0, updated: 0, skipped: 1, failed: 0 });
      assert.equal((await get('/api/v1/namespaces/theirs/configmaps/c'))!.metadata.labels, undefined);
    });

    for (const [what, fault] of [
      ['500 twice', { status: 500, times: 2 }],
      ['503 twice', { status: 503, times: 2 }],
      ['a connection reset before any answer', { reset: true as const, times: 1 }],
    ] as const) {
      it(`creates each item once through ${what}`, async () => {
        const ns = `transient-${what.split(' ')[0]!.replace(/\D/g, '') || 'reset'}`;
        const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'web', ns, {
          spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
        });
        const backup = await backupOf([namespaceItem(ns), deployment, configMap(ns, 'a', { k: 'v' }, ownedBy(deployment)), configMap(ns, 'b')]);
        server.faults.add({ method: 'POST', path: `^/api/v1/namespaces/${ns}/configmaps$`, ...fault });
        const result = await restore(backup, { includeOwnedResources: true });
        assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
        assert.ok(server.requestLog.list().some((e) => e.fault !== undefined), 'the fault was injected');
        assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 2, updated: 0, skipped: 0, failed: 0 });
        assert.equal(posts(`/api/v1/namespaces/${ns}/configmaps`).filter((e) => e.status === 201).length, 2, 'each made once');
        const owner = (await get(`/apis/apps/v1/namespaces/${ns}/deployments/web`))!;
        assert.deepEqual((await get(`/api/v1/namespaces/${ns}/configmaps/a`))!.metadata.ownerReferences?.map((r) => r.uid), [owner.metadata.uid]);
      });
    }

    it('takes the Restore object the lost attempt made, and writes its status', async () => {
      await install(client, { namespace: 'kubectl-backup' });
      const logger = new MemoryLogger();
      const status = await RestoreObject.forCluster(client, 'kubectl-backup', logger, 'test store');
      const backup = await backupOf([namespaceItem('mirror-lost'), configMap('mirror-lost', 'c')]);
      const req = restoreRequest(backup.metadata.name);
      server.faults.add({ method: 'POST', path: `^${ownResourcePath('restores', 'kubectl-backup')}$`, reset: 'mid-body' });
      await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger, status });
      assert.deepEqual(posts(ownResourcePath('restores', 'kubectl-backup')).map((e) => e.status), [201, 409]);
      assert.deepEqual(logger.lines.filter((l) => l.level === 'warn'), []);
      const object = (await get(ownResourcePath('restores', 'kubectl-backup', req.name)))!;
      assert.equal((object.status as { phase?: string } | undefined)?.phase, 'Completed');
    });

    it('stops when interrupted: nothing more is created, and the record and Restore object say Failed, with why', async () => {
      await install(client, { namespace: 'kubectl-backup' });
      const backup = await backupOf([namespaceItem('interrupted'), ...Array.from({ length: 60 }, (_, i) => configMap('interrupted', `c${i}`))]);
      const req = restoreRequest(backup.metadata.name);
      const status = await RestoreObject.forCluster(client, 'kubectl-backup', silentLogger, 'test store');
      const stop = new AbortController();
      const reason = 'interrupted by SIGINT';
      let done = 0;
      const progress = { ...noProgress, advance: (n: number) => void ((done += n) === 5 && stop.abort(new InterruptedError(reason))) };
      const { outcome, record } = await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger, status, progress, signal: stop.signal });
      assert.equal(outcome.phase, 'Failed');
      assert.equal(outcome.failureReason, reason);
      const created = posts('/api/v1/namespaces/interrupted/configmaps').length;
      assert.ok(created >= 4 && created < 60, `creates stopped (${created} of 60 sent)`);
      // What the record counts is what was made before the interruption: an account of what changed.
      assert.equal(outcome.counts.created, 5);
      assert.equal((await new RestoreRepository(store).get(req.name))?.status.phase, 'Failed');
      assert.equal(record?.status.failureReason, reason);
      const object = (await get(ownResourcePath('restores', 'kubectl-backup', req.name)))!;
      assert.equal((object.status as { phase?: string }).phase, 'Failed');
      assert.equal((object.status as { failureReason?: string }).failureReason, reason);
    });

    it('interrupted while the archive is read, creates nothing and stores no record', async () => {
      const backup = await backupOf([namespaceItem('interrupted-early'), configMap('interrupted-early', 'c')]);
      const req = restoreRequest(backup.metadata.name);
      const stop = new AbortController();
      stop.abort(new InterruptedError('interrupted by SIGTERM'));
      const before = writes().length;
      const logger = new MemoryLogger();
      await assert.rejects(
        createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger, signal: stop.signal }),
        (err: unknown) => err instanceof InterruptedError && /interrupted by SIGTERM/.test(err.message),
      );
      // The read itself stops: the client's refusal alone (the service names the signal's reason whatever failed) would pass the checks above.
      assert.deepEqual(logger.lines.filter((l) => l.message === 'archive verified and read'), []);
      assert.equal(writes().length, before);
      assert.deepEqual(await keysOf(req.name), []);
    });

    it('does not take a Restore object of the same name that another run made', async () => {
      await install(client, { namespace: 'kubectl-backup' });
      const backup = await backupOf([namespaceItem('mirror-taken'), configMap('mirror-taken', 'c')]);
      const req = restoreRequest(backup.metadata.name);
      await client.json({ method: 'POST', path: ownResourcePath('restores', 'kubectl-backup'), body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Restore', metadata: { name: req.name }, spec: { backupName: 'other' } } });
      const logger = new MemoryLogger();
      const status = await RestoreObject.forCluster(client, 'kubectl-backup', logger, 'test store');
      await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger, status });
      assert.deepEqual(logger.lines.filter((l) => l.level === 'warn').map((l) => l.message), ['could not create the Restore object']);
      assert.equal(((await get(ownResourcePath('restores', 'kubectl-backup', req.name)))!.spec as { backupName: string }).backupName, 'other');
    });
  });

  it('stores the record, resource list, results and log once, and refuses the same name again', async () => {
    const backup = await backupOf([namespaceItem('recorded'), configMap('recorded', 'c'), item('secrets', 'v1', 'Secret', 's', 'recorded', { data: { password: 'aHVudGVyMg==' } })]);
    const logger = new MemoryLogger();
    const req = restoreRequest(backup.metadata.name);
    const result = await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger });
    const record = (await new RestoreRepository(store).require(req.name));
    assert.equal(record.status.phase, 'Completed');
    assert.deepEqual(record.status.counts, result.outcome.counts);
    const keys = restoreKeys(req.name);
    assert.deepEqual(record.status.artifacts.map((a) => a.key), [keys.resourceList, keys.results, keys.logs]);
    assert.ok(!JSON.stringify(logger.lines).includes('aHVudGVyMg=='));
    assert.deepEqual(await readRestoreResults(store, record), { warnings: { cluster: [], namespaces: {} }, errors: { cluster: [], namespaces: {} } });
    const readLog = async () => {
      const lines: string[] = [];
      for await (const chunk of (await openRestoreLog(store, record))! as AsyncIterable<Buffer>) lines.push(chunk.toString('utf8'));
      return lines.join('');
    };
    assert.match(await readLog(), /restore finished/);
    // A forged log of the same size: gunzip ends at its trailer, before the padding reaches the
    // verifier, and the forged line must still not be taken for the restore's log.
    const logFile = path.join(dir, 'store', restoreKeys(req.name).logs);
    const original = await fs.readFile(logFile);
    await fs.writeFile(logFile, Buffer.concat([zlib.gzipSync('{"msg":"forged"}\n'), Buffer.alloc(original.length)]).subarray(0, original.length));
    await assert.rejects(readLog(), ArtifactIntegrityError);
    await assert.rejects(createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger }), /restore ".*" already exists/);
  });

  it("never shows a Secret's values quoted by the API server's refusal: only its code, reason and fields", async () => {
    const [ns, nsUpdate] = ['secret-refused', 'secret-refused-update'];
    const value = 'hunter2-quoted-by-a-webhook';
    const data = { password: Buffer.from(value).toString('base64') };
    await server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: nsUpdate } },
      { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'existing', namespace: nsUpdate }, data: { password: Buffer.from('local').toString('base64') } },
    ]);
    // As an admission webhook or a validation may answer: the value in the message and in the causes.
    const refusal = {
      status: 422,
      message: `admission webhook "policy.example.com" denied the request: password ${value} is too weak`,
      causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "${value}"`, field: 'data[password]' }],
      times: 0,
    };
    server.faults.add({ method: 'POST', path: `^/api/v1/namespaces/${ns}/secrets$`, ...refusal });
    server.faults.add({ method: 'PATCH', path: `^/api/v1/namespaces/${nsUpdate}/secrets/existing$`, ...refusal });
    const backup = await backupOf([namespaceItem(ns), namespaceItem(nsUpdate), item('secrets', 'v1', 'Secret', 'fresh', ns, { data }), item('secrets', 'v1', 'Secret', 'existing', nsUpdate, { data })]);
    const logger = new MemoryLogger();
    let result: RestoreResult;
    try {
      result = await restore(backup, { existingResourcePolicy: 'update' }, undefined, logger);
    } finally {
      server.faults.clear();
    }
    const refused = "422 Invalid (fields: data[password]); the message is not shown: it may quote the Secret's data";
    assert.deepEqual(result.outcome.countsByResource.secrets, { created: 0, updated: 0, skipped: 0, failed: 2 });
    assert.deepEqual(result.outcome.errors.namespaces[ns], [`secrets ${ns}/fresh: could not create: ${refused}`]);
    assert.deepEqual(result.outcome.errors.namespaces[nsUpdate], [`secrets ${nsUpdate}/existing: exists, and could not be updated (${refused}) nor labelled: ${refused}`]);
    const record = result.record!;
    const log: string[] = [];
    for await (const chunk of (await openRestoreLog(store, record))! as AsyncIterable<Buffer>) log.push(chunk.toString('utf8'));
    const results = await readRestoreResults(store, record);
    for (const [where, text] of [
      ['the console', JSON.stringify(logger.lines)],
      ['the stored log', log.join('')],
      ['the results', JSON.stringify(results)],
      ['describe', describeRestore(record, results)],
    ] as const) {
      assert.ok(text.includes('data[password]'), `${where} names the field`);
      assert.ok(!text.includes(value) && !text.includes(data.password), `${where} shows no value: ${text}`);
    }
  });

  it("stores what became of every item as Velero's restore resource list: created, skipped and failed, where each went", async () => {
    await server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'listed' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'there', namespace: 'listed' }, data: { k: 'local' } },
    ]);
    server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/listed/secrets$', status: 422, message: 'refused by a test', times: 0 });
    const deployment = item('deployments.apps', 'apps/v1', 'Deployment', 'api', 'listed', {
      spec: { selector: { matchLabels: { app: 'api' } }, template: { metadata: { labels: { app: 'api' } }, spec: { containers: [{ name: 'c', image: 'nginx:1' }] } } },
    });
    const backup = await backupOf([
      namespaceItem('listed'),
      configMap('listed', 'there'),
      configMap('listed', 'new'),
      configMap('listed', 'also-new'),
      item('secrets', 'v1', 'Secret', 'refused', 'listed', { data: { k: 'dg==' } }),
      deployment,
      item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'api-1', 'listed', {}, ownedBy(deployment)),
      item('clusterroles.rbac.authorization.k8s.io', 'rbac.authorization.k8s.io/v1', 'ClusterRole', 'list-reader', undefined, { rules: [] }),
      configMap('list-src', 'moved'),
    ]);
    const logger = new MemoryLogger();
    const result = await restore(backup, { namespaceMappings: parseNamespaceMappings('list-src:list-dst') }, undefined, logger);
    server.faults.clear();
    assert.equal(result.outcome.phase, 'PartiallyFailed');
    const counts = (created: number, skipped: number, failed: number) => ({ created, updated: 0, skipped, failed });
    assert.deepEqual(
      logger.lines.filter((l) => l.message === 'resource restored').map(({ fields: { resource, ...rest } }) => [resource, rest]),
      [
        // The namespace made for list-dst's items is not one of the namespaces pass.
        ['namespaces', counts(0, 1, 0)],
        ['clusterroles.rbac.authorization.k8s.io', counts(1, 0, 0)],
        ['secrets', counts(0, 0, 1)],
        ['configmaps', counts(3, 1, 0)],
        ['replicasets.apps', counts(0, 1, 0)],
        ['deployments.apps', counts(1, 0, 0)],
      ],
      'one line per type, with what became of its items',
    );
    const record = await new RestoreRepository(store).require(result.record!.metadata.name);
    assert.deepEqual(await readResourceList(record), {
      'v1/Namespace': ['list-dst(created)', 'listed(skipped)'],
      'rbac.authorization.k8s.io/v1/ClusterRole': ['list-reader(created)'],
      'v1/Secret': ['listed/refused(failed)'],
      'v1/ConfigMap': ['list-dst/moved(created)', 'listed/also-new(created)', 'listed/new(created)', 'listed/there(skipped)'],
      'apps/v1/Deployment': ['listed/api(created)'],
      'apps/v1/ReplicaSet': ['listed/api-1(skipped)'],
    });
    assert.deepEqual(record.status.counts, { created: 6, updated: 0, skipped: 3, failed: 1 }, 'the list and the counts tell the same');
    // Types in the order the restore took them, each complete before the next.
    const key = restoreKeys(record.metadata.name).resourceList;
    const bytes = await fs.readFile(path.join(dir, 'store', key));
    assert.deepEqual(Object.keys(JSON.parse(zlib.gunzipSync(bytes).toString('utf8')) as object), ['v1/Namespace', 'rbac.authorization.k8s.io/v1/ClusterRole', 'v1/Secret', 'v1/ConfigMap', 'apps/v1/ReplicaSet', 'apps/v1/Deployment']);
    const artifact = record.status.artifacts.find((a) => a.key === key);
    assert.deepEqual(artifact && { size: artifact.size, sha256: artifact.sha256 }, { size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  });

  it('lists items patched with policy update as updated', async () => {
    await server.seed([
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'listed-update' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'changed', namespace: 'listed-update' }, data: { k: 'local' } },
    ]);
    const backup = await backupOf([namespaceItem('listed-update'), configMap('listed-update', 'changed'), configMap('listed-update', 'fresh')]);
    const result = await restore(backup, { existingResourcePolicy: 'update' });
    assert.equal(result.outcome.phase, 'Completed', JSON.stringify(result.outcome.errors));
    assert.deepEqual(await readResourceList(result.record!), {
      'v1/Namespace': ['listed-update(updated)'],
      'v1/ConfigMap': ['listed-update/changed(updated)', 'listed-update/fresh(created)'],
    });
  });

  it('writes each type of the list once when the archive holds one kind under two resources', async () => {
    // Restored in this order: configmaps, limitranges, then zebras.example.com, whose item says it is a ConfigMap.
    const backup = await backupOf([
      namespaceItem('mixed'),
      configMap('mixed', 'a'),
      item('limitranges', 'v1', 'LimitRange', 'limits', 'mixed', { spec: { limits: [] } }),
      item('zebras.example.com', 'v1', 'ConfigMap', 'odd', 'mixed'),
    ]);
    const result = await restore(backup);
    assert.deepEqual(await readResourceList(result.record!), {
      'v1/Namespace': ['mixed(created)'],
      'v1/ConfigMap': ['mixed/a(created)', 'mixed/odd(failed)'],
      'v1/LimitRange': ['mixed/limits(created)'],
    });
  });

  it('refuses a resource list whose bytes are not what the record says', async () => {
    const backup = await backupOf([namespaceItem('list-tampered'), configMap('list-tampered', 'c')]);
    const { record } = await restore(backup);
    const file = path.join(dir, 'store', restoreKeys(record!.metadata.name).resourceList);
    const forged = zlib.gzipSync(JSON.stringify({ 'v1/ConfigMap': ['list-tampered/forged(created)'] }));
    await fs.writeFile(file, forged);
    await assert.rejects(readResourceList(record!), ArtifactIntegrityError);
  });

  it('restore delete and gc remove the resource list with the rest of the restore', async () => {
    const restores = new RestoreRepository(store);
    const kept = await backupOf([namespaceItem('list-delete'), configMap('list-delete', 'c')]);
    const deleted = (await restore(kept)).record!.metadata.name;
    const keys = restoreKeys(deleted);
    assert.deepEqual(await keysOf(deleted), [keys.record, keys.logs, keys.resourceList, keys.results].sort());
    const removed = await restores.delete(deleted);
    assert.ok(removed.removed.includes(keys.resourceList));
    assert.deepEqual(await keysOf(deleted), []);

    const expired = await backupOf([namespaceItem('list-gc'), configMap('list-gc', 'c')], { expiration: new Date(Date.now() - 3_600_000) });
    const collected = (await restore(expired)).record!.metadata.name;
    assert.ok((await keysOf(collected)).includes(restoreKeys(collected).resourceList));
    const report = await collectGarbage(store, { dryRun: false });
    assert.deepEqual(report.expired.map((e) => e.name), [expired.metadata.name]);
    assert.deepEqual(await keysOf(collected), [], 'nothing of the restore is left');
  });

  it("reads each item of Velero's layout once (plain and version-folder copies)", async () => {
    const backup = await backupOf(await backupArchive([namespaceItem('velero'), configMap('velero', 'a'), configMap('velero', 'b')], { veleroVersionFolders: true }));
    const result = await restore(backup);
    assert.equal(result.outcome.phase, 'Completed');
    assert.deepEqual(result.outcome.countsByResource.configmaps, { created: 2, updated: 0, skipped: 0, failed: 0 });
    assert.equal(server.requestLog.list().filter((e) => e.method === 'POST' && e.path === '/api/v1/namespaces/velero/configmaps').length, 2);
  });

  it('mirrors the restore as a Restore object where the CRDs are installed', async () => {
    await install(client, { namespace: 'kubectl-backup' });
    const backup = await backupOf([namespaceItem('mirrored'), configMap('mirrored', 'c')]);
    const req = restoreRequest(backup.metadata.name);
    const status = await RestoreObject.forCluster(client, 'kubectl-backup', silentLogger, 'test store');
    await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger, status });
    const object = (await get(ownResourcePath('restores', 'kubectl-backup', req.name)))!;
    assert.equal((object.spec as { backupName: string }).backupName, backup.metadata.name);
    const objectStatus = object.status as { phase: string; counts: { created: number } };
    assert.equal(objectStatus.phase, 'Completed');
    assert.equal(objectStatus.counts.created, 2);
  });

  it('creates items while the Restore object is still being written, and leaves none for a refused archive', async () => {
    await install(client, { namespace: 'kubectl-backup' });
    const status = await RestoreObject.forCluster(client, 'kubectl-backup', silentLogger, 'test store');
    // Each write of the object answers late, as from a distant API server.
    server.faults.add({ method: 'POST|PATCH', path: `^${ownResourcePath('restores', 'kubectl-backup')}`, delayMs: 400, times: 0 });
    try {
      const backup = await backupOf([namespaceItem('unheld'), configMap('unheld', 'a'), configMap('unheld', 'b')]);
      const req = restoreRequest(backup.metadata.name);
      server.requestLog.clear();
      const result = await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger, status });
      assert.equal(result.outcome.phase, 'Completed');
      // The log has each request as it arrives: the first ConfigMap came before the object's
      // create could have been answered.
      const log = server.requestLog.list();
      const firstCreate = log.find((e) => e.method === 'POST' && e.path === '/api/v1/namespaces/unheld/configmaps');
      const mirror = log.find((e) => e.method === 'POST' && e.path === ownResourcePath('restores', 'kubectl-backup'));
      assert.ok(firstCreate && mirror, 'both were sent');
      assert.ok(Date.parse(firstCreate.time) < Date.parse(mirror.time) + 400, `ConfigMap at ${firstCreate.time}, Restore object at ${mirror.time}`);
      assert.equal(((await get(ownResourcePath('restores', 'kubectl-backup', req.name)))?.status as { phase?: string } | undefined)?.phase, 'Completed');

      const damaged = await backupOf([namespaceItem('refused'), configMap('refused', 'a')]);
      const file = path.join(dir, 'store', backupKeys(damaged.metadata.name).archive);
      const bytes = await fs.readFile(file);
      bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
      await fs.writeFile(file, bytes);
      const refused = restoreRequest(damaged.metadata.name);
      await assert.rejects(createRestore(refused, damaged, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger, status }), ArtifactIntegrityError);
      assert.equal(await get(ownResourcePath('restores', 'kubectl-backup', refused.name)), undefined);
    } finally {
      server.faults.clear();
    }
  });

  it('ends Failed, and still stores its record, when the API server stops answering mid-restore', async () => {
    server.faults.add({ method: 'POST', path: '^/api/v1/namespaces/unreachable/configmaps$', reset: true, times: 0 });
    const backup = await backupOf([namespaceItem('unreachable'), configMap('unreachable', 'a'), configMap('unreachable', 'b')]);
    const req = restoreRequest(backup.metadata.name);
    const result = await createRestore(req, backup, { client, clusterVersion: 'v1.32.0', store, locationLabel: 'test store', logger: silentLogger });
    server.faults.clear();
    assert.equal(result.outcome.phase, 'Failed');
    assert.match(result.outcome.failureReason ?? '', /cannot reach the API server .*POST \/api\/v1\/namespaces\/unreachable\/configmaps.*ECONNRESET/);
    const record = await new RestoreRepository(store).require(req.name);
    assert.equal(record.status.phase, 'Failed');
    assert.equal(record.status.counts.created, 1);
  });
});
