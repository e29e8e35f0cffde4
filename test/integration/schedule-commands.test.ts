import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { closedPort } from '../helpers/closed-port.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { releasedImage } from '../../src/install/image.js';
import { install } from '../../src/install/install.js';
import { createLocation } from '../../src/location/manage-locations.js';
import { createSchedule, type CreateScheduleRequest } from '../../src/schedule/create-schedule.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { kubectlBackup, type RunResult } from '../helpers/plugin.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';
import { storeBackup } from '../builders/stored-backup.js';
import { resolveLocation } from '../../src/location/resolve.js';
import { silentLogger, type Logger } from '../../src/log/logger.js';
import { describeSchedules } from '../../src/schedule/describe-schedules.js';
import { ScheduleClient } from '../../src/schedule/schedule-client.js';
import { selectSchedules } from '../../src/schedule/select-schedules.js';
import { BACKUPS_DIR } from '../../src/storage/layout.js';
import type { ListedObject, ObjectStore } from '../../src/storage/object-store.js';
import { DelegatingStore } from '../builders/delegating-store.js';

const ns = 'kubectl-backup';

/** Notes the prefix of every listing. */
class ListingStore extends DelegatingStore {
  readonly listed: string[] = [];
  override list(prefix: string): AsyncIterable<ListedObject> {
    this.listed.push(prefix);
    return this.inner.list(prefix);
  }
}
let server: TestApiServer;
let s3: S3TestServer;
let client: KubeClient;
const env = { KUBECACHEDIR: mkdtempSync(join(tmpdir(), 'kubectl-cache-')) };

const template: CreateScheduleRequest['template'] = {
  includedNamespaces: ['app-*'],
  excludedNamespaces: [],
  includedResources: ['*'],
  excludedResources: ['events'],
  includeClusterResources: null,
  labelSelector: null,
  orLabelSelectors: [],
  orderedResources: {},
  ttl: '168h',
  clientPageSize: 500,
  labels: { team: 'data' },
  annotations: {},
  useOwnerReferencesInBackup: false,
};

const request = (name: string, over: Partial<CreateScheduleRequest> = {}): CreateScheduleRequest => ({
  name,
  namespace: ns,
  schedule: '0 2 * * *',
  paused: false,
  template,
  ...over,
});

const run = (...args: string[]): Promise<RunResult> => kubectlBackup(args, { kubeconfig: server.kubeconfigPath, env });
const cronJob = (name: string) => client.json<KubeObject & { spec: { suspend: boolean; schedule: string } }>({ method: 'GET', path: `/apis/batch/v1/namespaces/${ns}/cronjobs/${name}` });
const badInput = (message: string | RegExp) => (err: Error & { exitCode?: number }) => {
  assert.equal(err.exitCode, ExitCode.BadInput, err.message);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return true;
};

describe('schedules against the API test server', () => {
  before(async () => {
    server = await startTestApiServer({ tls: true });
    s3 = await startS3Server();
    ({ client } = await connectCluster({ kubeconfig: server.kubeconfigPath }));
  });
  after(async () => {
    await server?.close();
    await s3?.close();
  });

  describe('schedule create (engine)', () => {
    it('needs the install first', async () => {
      await assert.rejects(createSchedule(client, request('early')), badInput('schedule create needs the kubectl-backup CRDs, which are not installed in this cluster: run kubectl backup install'));
    });

    it('needs a storage location', async () => {
      await install(client, { namespace: ns });
      await assert.rejects(createSchedule(client, request('nowhere')), badInput(/^schedule create needs a storage location the cluster can reach: pass --storage-location NAME/));
      await assert.rejects(createSchedule(client, request('nowhere', { storageLocation: 'missing' })), badInput('storage location "missing" not found in namespace kubectl-backup; see: kubectl backup location get'));
    });

    it('refuses a ReadOnly location and a location whose Secret is missing', async () => {
      await createLocation(client, ns, { name: 'archive', url: 's3://archive-bucket', default: false, accessMode: 'ReadOnly' });
      await assert.rejects(createSchedule(client, request('ro', { storageLocation: 'archive' })), badInput(/^storage location "archive" is ReadOnly: backups cannot be written to it/));
      await client.json({ method: 'POST', path: `/api/v1/namespaces/${ns}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'gone' } } });
      await createLocation(client, ns, { name: 'orphan', url: 's3://orphan-bucket', credentialsSecret: 'gone', default: false, accessMode: 'ReadWrite' });
      await client.json({ method: 'DELETE', path: `/api/v1/namespaces/${ns}/secrets/gone` });
      await assert.rejects(createSchedule(client, request('nosecret', { storageLocation: 'orphan' })), badInput(`Secret "gone" of storage location "orphan" not found in namespace ${ns}: the schedule's pods could not start`));
    });

    it('refuses --ttl 0 on an object-lock location, which every run would refuse', async () => {
      await createLocation(client, ns, { name: 'locked', url: 's3://locked-bucket', default: false, accessMode: 'ReadWrite', objectLock: 'compliance' });
      await assert.rejects(createSchedule(client, request('forever', { storageLocation: 'locked', template: { ...template, ttl: '0s' } })), badInput(/^storage location "locked" puts backups under object lock until they expire; a backup with --ttl 0 never expires/));
      assert.equal((await createSchedule(client, request('locked-30d', { storageLocation: 'locked', template: { ...template, ttl: '720h0m0s' } }))).location.name, 'locked');
      // The schedule listings below see every CronJob of the namespace.
      await client.json({ method: 'DELETE', path: `/apis/batch/v1/namespaces/${ns}/cronjobs/locked-30d` });
    });

    it('creates the CronJob exactly as schedules.md says, with the default location pinned in the template', async () => {
      await client.json({
        method: 'POST',
        path: `/api/v1/namespaces/${ns}/secrets`,
        body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'primary-creds' }, stringData: s3.env },
      });
      await createLocation(client, ns, { name: 'primary', url: s3.urlWithPrefix('cluster-a'), credentialsSecret: 'primary-creds', default: true, accessMode: 'ReadWrite' });
      const created = await createSchedule(client, request('nightly', { timeZone: 'Europe/Paris', labels: { team: 'data' } }));
      assert.equal(created.location.name, 'primary');
      assert.equal(created.image, releasedImage());
      const cj = await cronJob('nightly');
      assert.deepEqual(cj.metadata.labels, { team: 'data', 'app.kubernetes.io/managed-by': 'kubectl-backup', 'kubectl-backup.io/schedule-name': 'nightly' });
      assert.deepEqual(JSON.parse(cj.metadata.annotations!['kubectl-backup.io/backup-template']!), { ...template, storageLocation: 'primary' });
      const spec = cj.spec as unknown as Record<string, unknown> & { jobTemplate: { spec: { template: { spec: Record<string, unknown> & { containers: Record<string, unknown>[] } } } } };
      assert.equal(spec.schedule, '0 2 * * *');
      assert.equal(spec.timeZone, 'Europe/Paris');
      assert.equal(spec.suspend, false);
      assert.equal(spec.concurrencyPolicy, 'Forbid');
      assert.equal(spec.startingDeadlineSeconds, 300, 'a run missed while paused is not made up for on unpause');
      assert.equal((spec.jobTemplate.spec as unknown as { activeDeadlineSeconds: number }).activeDeadlineSeconds, 6 * 3600, 'a run that never ends does not block the next');
      const pod = spec.jobTemplate.spec.template.spec;
      assert.equal(pod.serviceAccountName, 'kubectl-backup-runner');
      const [container] = pod.containers;
      assert.deepEqual(container!.args, ['create', '--from-schedule', 'nightly']);
      assert.deepEqual(container!.env, [
        { name: 'KUBECTL_BACKUP_NAMESPACE', value: ns },
        { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 'primary-creds', key: 'AWS_ACCESS_KEY_ID' } } },
        { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 'primary-creds', key: 'AWS_SECRET_ACCESS_KEY' } } },
        { name: 'AWS_SESSION_TOKEN', valueFrom: { secretKeyRef: { name: 'primary-creds', key: 'AWS_SESSION_TOKEN', optional: true } } },
      ]);
      assert.ok(!JSON.stringify(cj).includes(s3.env.AWS_SECRET_ACCESS_KEY), 'no credential value in the CronJob');
    });

    it('runs the image install recorded, unless --image is given', async () => {
      await install(client, { namespace: ns, image: 'registry.local/kb:installed' });
      assert.equal((await createSchedule(client, request('with-installed'))).image, 'registry.local/kb:installed');
      assert.equal((await createSchedule(client, request('with-flag', { image: 'registry.local/kb:flag', paused: true }))).image, 'registry.local/kb:flag');
      assert.equal((await cronJob('with-flag')).spec.suspend, true);
    });

    it('refuses a name that is taken', async () => {
      await assert.rejects(createSchedule(client, request('nightly')), badInput(/^schedule "nightly" already exists in namespace kubectl-backup; delete it first/));
    });

    it('needs the install in its own namespace: the CRDs of another one do not give its pods a ServiceAccount', async () => {
      await client.json({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'not-installed' } } });
      await createLocation(client, 'not-installed', { name: 'primary', url: 's3://other-bucket', default: true, accessMode: 'ReadWrite' });
      await assert.rejects(
        createSchedule(client, request('stranded', { namespace: 'not-installed' })),
        badInput('schedule create needs kubectl-backup installed in namespace not-installed: its pods run as the ServiceAccount kubectl-backup-runner, which is not there; run kubectl backup install -n not-installed'),
      );
      await assert.rejects(client.json({ method: 'GET', path: '/apis/batch/v1/namespaces/not-installed/cronjobs/stranded' }), /not found/);
    });
  });

  describe('schedule get, describe, pause, unpause, delete (commands)', () => {
    it('lists schedules with cron, time zone, paused, last and next run', async () => {
      const result = await run('schedule', 'get');
      assert.equal(result.code, 0, result.stderr);
      const lines = result.stdout.trim().split('\n');
      assert.deepEqual(lines[0]!.split(/\s{2,}/), ['NAME', 'SCHEDULE', 'TIME ZONE', 'PAUSED', 'LAST RUN', 'NEXT RUN', 'LOCATION', 'TTL']);
      assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['nightly', 'with-flag', 'with-installed']);
      assert.match(lines[1]!, /^nightly\s+0 2 \* \* \*\s+Europe\/Paris\s+false\s+never\s+\d{4}-\d\d-\d\dT02:00:00\+0[12]:00\s+primary\s+168h$/);
      assert.match(lines[2]!, /with-flag .* true\s+never\s+<paused>/);
    });

    it('prints JSON and YAML, and one schedule by name or by label', async () => {
      const json = JSON.parse((await run('schedule', 'get', 'nightly', '-o', 'json')).stdout) as { name: string; nextRuns: string[]; template: { storageLocation: string } }[];
      assert.equal(json.length, 1);
      assert.equal(json[0]!.name, 'nightly');
      assert.equal(json[0]!.template.storageLocation, 'primary');
      assert.equal(json[0]!.nextRuns.length, 1);
      const byLabel = await run('schedule', 'get', '-l', 'team=data', '-o', 'yaml');
      assert.match(byLabel.stdout, /name: nightly/);
      assert.doesNotMatch(byLabel.stdout, /name: with-flag/);
    });

    it('describes a schedule: next runs, template and recent backups with phases, from storage and the cluster', async () => {
      const { store } = await resolveLocation({ storageLocation: 'primary' }, { client, namespace: ns, env: {} });
      await storeBackup(store, 'nightly-20241231020000', { labels: { 'kubectl-backup.io/schedule-name': 'nightly' } });
      await storeBackup(store, 'other-20241231020000', { labels: { 'kubectl-backup.io/schedule-name': 'other' } });
      for (const [name, phase] of [['nightly-20250101020000', 'Completed'], ['nightly-20250102020000', 'InProgress']] as const) {
        await client.json({
          method: 'POST',
          path: ownResourcePath('backups', ns),
          body: { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata: { name, labels: { 'kubectl-backup.io/schedule-name': 'nightly' } }, spec: {} },
        });
        await client.json({ method: 'PATCH', path: `${ownResourcePath('backups', ns, name)}/status`, contentType: 'application/merge-patch+json', body: { status: { phase } } });
      }
      const result = await run('schedule', 'describe', 'nightly');
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Name:\s+nightly$/m);
      assert.match(result.stdout, /^Time zone:\s+Europe\/Paris$/m);
      assert.equal((result.stdout.match(/T02:00:00\+0[12]:00$/gm) ?? []).length, 3, 'three next runs in Paris time');
      assert.match(result.stdout, /^Next runs: {6}\S+T02:00:00\+0[12]:00\n {16}\S+T02:00:00\+0[12]:00\n {16}\S+T02:00:00\+0[12]:00$/m, 'the later runs line up under the first, without a label');
      assert.match(result.stdout, /Storage location:\s+primary/);
      assert.match(result.stdout, /Included namespaces:\s+app-\*/);
      assert.match(result.stdout, /Excluded resources:\s+events/);
      const recent = result.stdout.slice(result.stdout.indexOf('Recent backups:'));
      assert.match(recent, /nightly-20250102020000\s+InProgress[\s\S]*nightly-20250101020000\s+Completed[\s\S]*nightly-20241231020000\s+Completed/);
      assert.doesNotMatch(recent, /other-/);
      const json = await run('schedule', 'describe', 'nightly', '-o', 'json');
      const listed = (JSON.parse(json.stdout) as { recentBackups: { name: string; source: string }[] }).recentBackups;
      assert.deepEqual(listed.map((b) => [b.name, b.source]), [['nightly-20250102020000', 'cluster'], ['nightly-20250101020000', 'cluster'], ['nightly-20241231020000', 'storage']]);
    });

    it('describes every schedule of a location with one resolution and one listing of it', async () => {
      const primary = (await resolveLocation({ storageLocation: 'primary' }, { client, namespace: ns, env: {} })).store;
      const opened: ListingStore[] = [];
      const open = (): ObjectStore => {
        opened.push(new ListingStore(primary));
        return opened.at(-1)!;
      };
      const cronJobs = await selectSchedules(new ScheduleClient(client, ns), { names: [], all: true }, 'schedule describe');
      const described = await describeSchedules(cronJobs, { client, namespace: ns, env: {}, open, logger: silentLogger, backups: 10, now: new Date() });
      assert.deepEqual(described.map((d) => [d.name, d.template?.storageLocation]), [['nightly', 'primary'], ['with-flag', 'primary'], ['with-installed', 'primary']]);
      assert.equal(opened.length, 1, 'the location is opened once');
      assert.deepEqual(opened[0]!.listed, [BACKUPS_DIR], 'and its backups listed once');
      const stored = (name: string) => described.find((d) => d.name === name)!.recentBackups.filter((b) => b.source === 'storage').map((b) => b.name);
      assert.deepEqual(stored('nightly'), ['nightly-20241231020000']);
      assert.deepEqual(stored('with-flag'), []);
      assert.deepEqual(stored('with-installed'), []);
    });

    it('warns once for a location it cannot read and shows the Backup objects of its schedules', async () => {
      const warnings: string[] = [];
      const logger: Logger = { log: (level, message, fields) => warnings.push(`${level} ${message} ${fields?.location} ${fields?.error}`) };
      const open = (): ObjectStore => {
        throw new Error('unreachable');
      };
      const cronJobs = await selectSchedules(new ScheduleClient(client, ns), { names: [], all: true }, 'schedule describe');
      const described = await describeSchedules(cronJobs, { client, namespace: ns, env: {}, open, logger, backups: 10, now: new Date() });
      assert.deepEqual(warnings, ["warn cannot read the backups of the schedule's location; showing Backup objects only primary unreachable"]);
      const nightly = described.find((d) => d.name === 'nightly')!.recentBackups;
      assert.deepEqual(nightly.map((b) => [b.name, b.source]), [['nightly-20250102020000', 'cluster'], ['nightly-20250101020000', 'cluster']]);
    });

    it('pauses and unpauses by name, --all and -l, with a patch of spec.suspend only', async () => {
      server.requestLog.clear();
      const paused = await run('schedule', 'pause', 'nightly');
      const writes = server.requestLog.list().filter((e) => e.method !== 'GET');
      assert.deepEqual(writes.map((e) => `${e.method} ${e.path}`), [`PATCH /apis/batch/v1/namespaces/${ns}/cronjobs/nightly`]);
      assert.equal(paused.code, 0, paused.stderr);
      assert.equal(paused.stdout, 'schedule "nightly" paused\n');
      assert.equal((await cronJob('nightly')).spec.suspend, true);
      assert.equal((await run('schedule', 'pause', 'nightly')).stdout, 'schedule "nightly" was already paused\n');
      const all = await run('schedule', 'unpause', '--all');
      assert.equal(all.stdout, 'schedule "nightly" unpaused\nschedule "with-flag" unpaused\nschedule "with-installed" was already running\n');
      const byLabel = await run('schedule', 'pause', '-l', 'team=data');
      assert.equal(byLabel.stdout, 'schedule "nightly" paused\n');
      assert.equal((await cronJob('with-flag')).spec.suspend, false);
      await run('schedule', 'unpause', 'nightly');
      assert.equal((await cronJob('nightly')).spec.suspend, false);
      assert.equal((await cronJob('nightly')).spec.schedule, '0 2 * * *', 'nothing else changed');
    });

    it('refuses unknown names and ambiguous selections before changing anything', async () => {
      const cases: [string[], RegExp][] = [
        [['schedule', 'pause', 'nightly', 'nope'], /schedule "nope" not found in namespace kubectl-backup; see: kubectl backup schedule get/],
        [['schedule', 'pause'], /schedule pause: give schedule names, --all or --selector \(-l\)/],
        [['schedule', 'pause', 'nightly', '--all'], /schedule pause: give schedule names, --all or --selector, not several of them/],
        [['schedule', 'delete', '--all', '-l', 'a=b', '--confirm'], /not several of them/],
        [['schedule', 'describe'], /schedule describe: give schedule names, --all or --selector/],
        [['schedule', 'get', 'nope'], /schedule "nope" not found/],
        [['schedule', 'get', '-l', 'team in (data'], /^Error: invalid --selector "team in \(data": unbalanced parentheses$/m],
        [['schedule', 'pause', '-l', '!!team'], /^Error: invalid --selector "!!team"/m],
        [['schedule', 'delete', 'nightly'], /schedule delete deletes and cannot be undone: it needs --confirm when not run from a terminal/],
      ];
      for (const [args, message] of cases) {
        const result = await run(...args);
        assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message);
      }
      assert.equal((await cronJob('nightly')).spec.suspend, false);
    });

    it('tells a bad name or selection as such when no cluster is in reach', async () => {
      const port = await closedPort();
      const kubeconfig = join(mkdtempSync(join(tmpdir(), 'kubeconfig-down-')), 'config');
      writeFileSync(kubeconfig, readFileSync(server.kubeconfigPath, 'utf8').replace(/server: .*/, `server: http://127.0.0.1:${port}`));
      const cases: [string[], RegExp][] = [
        [['schedule', 'pause', 'Nightly'], /invalid schedule name "Nightly"/],
        [['schedule', 'delete', 'nightly', 'back_up', '--confirm'], /invalid schedule name "back_up"/],
        [['schedule', 'describe', 'a', '--all'], /not several of them/],
        [['schedule', 'get', '-l', '!!team'], /invalid --selector/],
      ];
      for (const [args, message] of cases) {
        const result = await kubectlBackup(args, { kubeconfig, env });
        assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message);
      }
    });

    it('deletes schedules, never their backups', async () => {
      const one = await run('schedule', 'delete', 'with-flag', '--confirm');
      assert.equal(one.stdout, 'schedule "with-flag" deleted (its backups are kept)\n');
      const rest = await run('schedule', 'delete', '--all', '--confirm');
      assert.equal(rest.stdout, 'schedule "nightly" deleted (its backups are kept)\nschedule "with-installed" deleted (its backups are kept)\n');
      const backups = await client.json<{ items: unknown[] }>({ method: 'GET', path: ownResourcePath('backups', ns) });
      assert.equal(backups.items.length, 2, 'Backup objects without owner references stay');
      const empty = await run('schedule', 'get');
      assert.equal(empty.code, 0);
      assert.match(empty.stderr, /No schedules found in namespace kubectl-backup/);
    });

    it('never touches a CronJob it did not make', async () => {
      await client.json({
        method: 'POST',
        path: `/apis/batch/v1/namespaces/${ns}/cronjobs`,
        body: { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'foreign' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } } } } },
      });
      const result = await run('schedule', 'delete', 'foreign', '--confirm');
      assert.equal(result.code, ExitCode.BadInput);
      assert.match(result.stderr, /schedule "foreign" not found/);
      assert.equal((await cronJob('foreign')).metadata.name, 'foreign');
    });
  });

  describe('schedule create (command)', () => {
    const cronJobNames = async () =>
      (await client.json<{ items: KubeObject[] }>({ method: 'GET', path: `/apis/batch/v1/namespaces/${ns}/cronjobs` })).items.map((c) => c.metadata.name).sort();

    it('refuses every kind of bad value with exit code 2, naming it, before anything is created', async () => {
      const before = await cronJobNames();
      const cases: [string[], RegExp][] = [
        [['Nightly', '--schedule', '@daily'], /invalid schedule name "Nightly": it must consist of lower case alphanumeric characters/],
        [['a'.repeat(49), '--schedule', '@daily'], /is 49 characters long; at most 48, so that its backups' names \(NAME-YYYYMMDDhhmmss\) stay within 63/],
        [['x'], /Missing required flag schedule/],
        [['x', '--schedule', '61 * * * *'], /invalid --schedule "61 \* \* \* \*": minute 61 is out of range 0-59/],
        [['x', '--schedule', '0 0 * * 7'], /invalid --schedule "0 0 \* \* 7": day-of-week 7 is out of range 0-6/],
        [['x', '--schedule', '* * * *'], /expected exactly 5 fields \(minute hour day-of-month month day-of-week\), found 4/],
        [['x', '--schedule', 'CRON_TZ=UTC 0 0 * * *'], /use --time-zone instead/],
        [['x', '--schedule', '@every 1h'], /@every is not supported by CronJobs/],
        [['x', '--schedule', '0 0 31 2 *'], /it never runs/],
        [['x', '--schedule', '@daily', '--time-zone', 'Mars/Olympus'], /invalid --time-zone "Mars\/Olympus": unknown time zone/],
        [['x', '--schedule', '@daily', '--ttl', '3 days'], /--ttl: invalid duration "3 days"/],
        [['x', '--schedule', '@daily', '--ttl', '-1h'], /--ttl: invalid duration "-1h": must not be negative/],
        [['x', '--schedule', '@daily', '--ttl', '99999999999h'], /--ttl: invalid duration "99999999999h": out of range/],
        [['x', '--schedule', '@daily', '--include-cluster-resources=maybe'], /--include-cluster-resources: expected true or false, got "maybe"/],
        [['x', '--schedule', '@daily', '--ordered-resources', 'pods=a;b'], /invalid --ordered-resources/],
        [['x', '--schedule', '@daily', '-l', 'a=b', '--or-selector', 'c=d or e=f'], /cannot be used together/],
        [['x', '--schedule', '@daily', '-l', 'app in (web'], /invalid --selector "app in \(web"/],
        [['x', '--schedule', '@daily', '--or-selector', 'a=b or !!c'], /invalid --or-selector "!!c"/],
        [['x', '--schedule', '@daily', '--labels', 'bad key=v'], /--labels: invalid key "bad key"/],
        [['x', '--schedule', '@daily', '--client-page-size', '-5'], /client-page-size/],
        [['x', '--schedule', '@daily', '--image', 'Not An Image'], /invalid --image "Not An Image"/],
        [['x', '--schedule', '@daily', '--storage-location', 'Bad_Name'], /invalid --storage-location "Bad_Name"/],
        [['x', '--schedule', '@daily', '--storage-location', 'missing'], /storage location "missing" not found in namespace kubectl-backup/],
        [['x', '--schedule', '@daily', '--storage-location', 'archive'], /storage location "archive" is ReadOnly/],
      ];
      for (const [args, message] of cases) {
        const result = await run('schedule', 'create', ...args);
        assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
        assert.match(result.stderr, message, args.join(' '));
        assert.equal(result.stdout, '');
      }
      assert.deepEqual(await cronJobNames(), before, 'nothing was created');
    });

    it('creates a schedule with every backup flag in its template', async () => {
      const result = await run(
        'schedule', 'create', 'apps', '--schedule', '30 1 * * MON-FRI', '--time-zone', 'America/New_York', '--include-namespaces', 'app-*,web',
        '--exclude-namespaces', 'app-test', '--include-resources', 'deploy,cm', '--exclude-resources', 'secrets', '--include-cluster-resources', 'false',
        '-l', 'tier=db', '--ordered-resources', 'pods=app-1/a,app-1/b', '--client-page-size', '100', '--ttl', '72h', '--storage-location', 'primary',
        '--labels', 'team=web', '--annotations', 'owner=ops', '--use-owner-references-in-backup', '--paused',
      );
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^schedule "apps" created in namespace kubectl-backup \(storage location "primary", image registry.local\/kb:installed\); it is paused\n$/);
      const cj = await cronJob('apps');
      assert.equal(cj.metadata.labels?.team, 'web');
      assert.deepEqual(JSON.parse(cj.metadata.annotations!['kubectl-backup.io/backup-template']!), {
        includedNamespaces: ['app-*', 'web'], excludedNamespaces: ['app-test'], includedResources: ['deploy', 'cm'], excludedResources: ['secrets'],
        includeClusterResources: false, labelSelector: 'tier=db', orLabelSelectors: [], orderedResources: { pods: 'app-1/a,app-1/b' },
        ttl: '72h', storageLocation: 'primary', clientPageSize: 100, labels: { team: 'web' }, annotations: { owner: 'ops' }, useOwnerReferencesInBackup: true,
      });
      assert.equal(cj.spec.suspend, true);
      const taken = await run('schedule', 'create', 'apps', '--schedule', '@daily');
      assert.equal(taken.code, ExitCode.BadInput);
      assert.match(taken.stderr, /schedule "apps" already exists/);
    });
  });
});
