import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ExitCode } from '../../src/errors.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import type { KubeObject } from '../../src/kube/types.js';
import { ownResourcePath } from '../../src/install/api-group.js';
import { install } from '../../src/install/install.js';
import { requireWritable, resolveEach, resolveLocation, retentionFor } from '../../src/location/resolve.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/index.js';
import { kubectlBackup, type RunResult } from '../helpers/plugin.js';
import { startS3Server, S3_TEST_CREDENTIALS, type S3TestServer } from '../s3/s3-test-server.js';

const ns = 'kubectl-backup';
let api: TestApiServer;
let s3: S3TestServer;
let client: KubeClient;
const dir = mkdtempSync(join(tmpdir(), 'kb-location-'));
/** No AWS credentials of the machine: every credential must come from a location's Secret. */
const env = { KUBECACHEDIR: join(dir, 'kubectl-cache'), AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_EC2_METADATA_DISABLED: 'true' };
const run = (...args: string[]): Promise<RunResult> => kubectlBackup(args, { kubeconfig: api.kubeconfigPath, env });
const location = (name: string) => client.json<KubeObject & { spec: Record<string, unknown>; status?: Record<string, unknown> }>({ method: 'GET', path: ownResourcePath('backupstoragelocations', ns, name) });
const secret = (name: string) => client.json<KubeObject & { data: Record<string, string> }>({ method: 'GET', path: `/api/v1/namespaces/${ns}/secrets/${name}` });

describe('storage locations against the API and S3 test servers', () => {
  before(async () => {
    api = await startTestApiServer({ tls: true });
    s3 = await startS3Server();
    ({ client } = await connectCluster({ kubeconfig: api.kubeconfigPath }));
  });
  after(async () => {
    await api?.close();
    await s3?.close();
  });

  it('says install is needed when the CRDs are missing', async () => {
    const result = await run('location', 'get');
    assert.equal(result.code, ExitCode.BadInput);
    assert.match(result.stderr, /location get needs the kubectl-backup CRDs, which are not installed in this cluster: run kubectl backup install/);
  });

  it('creates a location with credentials from a file, stored in a Secret and never echoed', async () => {
    await install(client, { namespace: ns });
    const file = join(dir, 'creds.ini');
    writeFileSync(file, `[default]\naws_access_key_id = ${S3_TEST_CREDENTIALS.accessKeyId}\naws_secret_access_key = ${S3_TEST_CREDENTIALS.secretAccessKey}\n`);
    const result = await run('location', 'create', 'primary', '--url', s3.urlWithPrefix('cluster-a'), '--credentials-file', file, '--default');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'storage location "primary" created (default, credentials from Secret kubectl-backup-location-primary); see: kubectl backup location check primary\n');
    assert.ok(!(result.stdout + result.stderr).includes(S3_TEST_CREDENTIALS.secretAccessKey));
    const bsl = await location('primary');
    assert.deepEqual(bsl.spec, { url: s3.urlWithPrefix('cluster-a'), credentialsSecret: 'kubectl-backup-location-primary', default: true, accessMode: 'ReadWrite' });
    const stored = await secret('kubectl-backup-location-primary');
    assert.equal(Buffer.from(stored.data.AWS_ACCESS_KEY_ID!, 'base64').toString(), S3_TEST_CREDENTIALS.accessKeyId);
    assert.equal(stored.metadata.labels?.['kubectl-backup.io/location'], 'primary');
  });

  it('checks a location: write, read, list and delete, each reported', async () => {
    s3.clearLog();
    const result = await run('location', 'check', 'primary');
    assert.equal(result.code, 0, result.stderr + result.stdout);
    const lines = result.stdout.trim().split('\n');
    assert.match(lines[0]!, /^Checking location "primary" \(s3:\/\/test-bucket\/cluster-a\)$/);
    assert.deepEqual(lines.slice(1, 5).map((l) => l.trim().split(/\s+/).slice(0, 2)), [['✓', 'write'], ['✓', 'read'], ['✓', 'list'], ['✓', 'delete']]);
    assert.equal(lines[5], 'The location works.');
    assert.deepEqual([...new Set(s3.requestLog.map((r) => r.accessKeyId))], [S3_TEST_CREDENTIALS.accessKeyId], "the Secret's credentials were used");
    assert.ok(s3.requestLog.some((r) => r.operation === 'PutObject' && r.key?.startsWith('cluster-a/kubectl-backup-check/probe-')));
    assert.equal((await location('primary')).status?.phase, 'Available');
    const check = await run('location', 'check', '-o', 'json');
    assert.equal(JSON.parse(check.stdout).location, 'primary', 'without NAME: the default location');
  });

  it('reports a failing step with ✗ and exit code 1', async () => {
    await run('location', 'create', 'broken', '--url', `s3://no-such-bucket?endpoint=${s3.endpoint}&forcePathStyle=true&region=us-east-1`, '--credentials-secret', 'kubectl-backup-location-primary');
    const result = await run('location', 'check', 'broken');
    assert.equal(result.code, ExitCode.Failed, result.stderr);
    assert.match(result.stdout, /✗ write/);
    assert.match(result.stdout, /✗ read\s+skipped: the write failed/);
    assert.match(result.stdout, /The location does not work\./);
    assert.equal((await location('broken')).status?.phase, 'Unavailable');
  });

  it('keeps one default at a time', async () => {
    const created = await run('location', 'create', 'secondary', '--url', s3.urlWithPrefix('cluster-b'), '--credentials-secret', 'kubectl-backup-location-primary', '--default');
    assert.equal(created.code, 0, created.stderr);
    assert.equal((await location('primary')).spec.default, false);
    assert.equal((await location('secondary')).spec.default, true);
    const set = await run('location', 'set', 'primary', '--default');
    assert.equal(set.code, 0, set.stderr);
    assert.equal((await location('primary')).spec.default, true);
    assert.equal((await location('secondary')).spec.default, false);
    const table = await run('location', 'get');
    const rows = table.stdout.trim().split('\n');
    assert.deepEqual(rows[0]!.split(/\s{2,}/), ['NAME', 'URL', 'DEFAULT', 'ACCESS MODE', 'OBJECT LOCK', 'CREDENTIALS', 'PHASE', 'AGE']);
    assert.deepEqual(rows.slice(1).map((r) => r.split(/\s+/).slice(0, 1)[0]), ['broken', 'primary', 'secondary']);
    const json = JSON.parse((await run('location', 'get', 'primary', '-o', 'json')).stdout) as { name: string; default: boolean }[];
    assert.deepEqual(json.map((l) => [l.name, l.default]), [['primary', true]]);
  });

  it('refuses bad values before anything is created', async () => {
    // Secrets of the names --credentials-file would write, not made by kubectl-backup.
    for (const name of ['kubectl-backup-location-x', 'kubectl-backup-location-broken']) {
      await client.json({ method: 'POST', path: `/api/v1/namespaces/${ns}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { mine: 'yes' } } });
    }
    const cases: [string[], RegExp][] = [
      [['location', 'create', 'Bad', '--url', 's3://bucket'], /invalid storage location name "Bad"/],
      [['location', 'create', 'x', '--url', 'ftp://bucket'], /invalid storage URL "ftp:\/\/bucket": scheme "ftp:" is not supported/],
      [['location', 'create', 'x', '--url', 's3://AB'], /bad bucket name "AB"/],
      [['location', 'create', 'x', '--url', 'file:///backups', '--object-lock', 'governance'], /--object-lock needs an S3 location/],
      [['location', 'create', 'x', '--url', 's3://bucket', '--object-lock', 'forever'], /invalid --object-lock "forever": expected governance or compliance/],
      [['location', 'create', 'x', '--url', 's3://bucket', '--access-mode', 'WriteOnly'], /invalid --access-mode "WriteOnly"/],
      [['location', 'create', 'x', '--url', 's3://bucket', '--credentials-secret', 'missing'], /Secret "missing" not found in namespace kubectl-backup/],
      [['location', 'create', 'x', '--url', 's3://bucket', '--credentials-secret', 'a', '--credentials-file', join(dir, 'creds.ini')], /give --credentials-secret or --credentials-file, not both/],
      [['location', 'create', 'x', '--url', 's3://bucket', '--credentials-file', join(dir, 'none')], /--credentials-file .*none: cannot read it \(ENOENT\)/],
      [['location', 'create', 'primary', '--url', 's3://bucket'], /storage location "primary" already exists/],
      [['location', 'set', 'primary'], /location set: nothing to change/],
      [['location', 'set', 'primary', '--credentials-secret', 'missing'], /Secret "missing" not found in namespace kubectl-backup; create it with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --credentials-file/],
      [['location', 'create', 'x', '--url', 's3://bucket', '--credentials-file', join(dir, 'creds.ini')], /a Secret "kubectl-backup-location-x" that kubectl-backup did not make exists in namespace kubectl-backup; delete it or use --credentials-secret/],
      [['location', 'set', 'broken', '--credentials-file', join(dir, 'creds.ini')], /a Secret "kubectl-backup-location-broken" that kubectl-backup did not make exists in namespace kubectl-backup; delete it or use --credentials-secret/],
      [['location', 'set', 'nope', '--default'], /storage location "nope" not found in namespace kubectl-backup; see: kubectl backup location get/],
      [['location', 'delete', 'primary'], /location delete deletes and cannot be undone: it needs --confirm/],
      [['location', 'check', 'nope'], /storage location "nope" not found/],
    ];
    for (const [args, message] of cases) {
      const result = await run(...args);
      assert.equal(result.code, ExitCode.BadInput, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message, args.join(' '));
    }
    const names = (await client.json<{ items: KubeObject[] }>({ method: 'GET', path: ownResourcePath('backupstoragelocations', ns) })).items.map((i) => i.metadata.name);
    assert.deepEqual(names.sort(), ['broken', 'primary', 'secondary']);
    assert.deepEqual((await secret('kubectl-backup-location-x')).data, { mine: Buffer.from('yes').toString('base64') }, 'a Secret not ours is left as it was');
    assert.equal((await location('broken')).spec.credentialsSecret, 'kubectl-backup-location-primary');
  });

  it('refuses writes to a ReadOnly location before anything is written, and still checks it', async () => {
    await run('location', 'create', 'archive', '--url', s3.urlWithPrefix('cluster-a'), '--credentials-secret', 'kubectl-backup-location-primary', '--access-mode', 'ReadOnly');
    s3.clearLog();
    const resolved = await resolveLocation({ storageLocation: 'archive' }, { client, namespace: ns, env: {} });
    assert.throws(() => requireWritable(resolved, 'backup create'), (err: Error & { exitCode?: number }) => {
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, /^location "archive" is ReadOnly: backup create would write to it/);
      return true;
    });
    assert.equal(s3.requestLog.length, 0, 'nothing was sent to storage');
    const check = await run('location', 'check', 'archive');
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /- write\s+skipped: ReadOnly location/);
    assert.match(check.stdout, /✓ list/);
    assert.ok(!s3.requestLog.some((r) => r.method === 'PUT' || r.method === 'DELETE'));
  });

  it('puts every object of an object-lock location with its mode and a retain-until date of the expiry', async () => {
    await run('location', 'create', 'worm', '--url', s3.urlWithPrefix('worm'), '--credentials-secret', 'kubectl-backup-location-primary', '--object-lock', 'compliance');
    const resolved = await resolveLocation({ storageLocation: 'worm' }, { client, namespace: ns, env: {} });
    const expiry = new Date(Date.now() + 3_600_000);
    expiry.setMilliseconds(0);
    s3.clearLog();
    await resolved.store.put('backups/b1/b1-logs.gz', Readable.from([Buffer.from('log')]), { retention: retentionFor(resolved, expiry) });
    const put = s3.requestLog.find((r) => r.operation === 'PutObject');
    assert.equal(put?.headers.objectLockMode, 'COMPLIANCE');
    assert.equal(new Date(put!.headers.objectLockRetainUntilDate!).getTime(), expiry.getTime());
    await run('location', 'set', 'worm', '--object-lock', 'governance');
    const governance = await resolveLocation({ storageLocation: 'worm' }, { client, namespace: ns, env: {} });
    assert.deepEqual(retentionFor(governance, expiry), { mode: 'GOVERNANCE', retainUntil: expiry });
    await run('location', 'set', 'worm', '--object-lock', 'none');
    assert.equal((await location('worm')).spec.objectLock, undefined);
    await run('location', 'set', 'worm', '--object-lock', 'compliance');
  });

  it('refuses a backup to a ReadOnly location before anything is written (exit 2)', async () => {
    s3.clearLog();
    const result = await run('create', 'to-archive', '--storage-location', 'archive', '--include-namespaces', 'default');
    assert.equal(result.code, ExitCode.BadInput, result.stderr);
    assert.match(result.stderr, /location "archive" is ReadOnly/);
    assert.ok(!s3.requestLog.some((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'DELETE'), 'nothing written');
  });

  it('refuses to delete backups from a ReadOnly location (exit 2), removing nothing', async () => {
    const taken = await run('create', 'kept', '--storage-location', 'primary', '--include-namespaces', 'default');
    assert.equal(taken.code, 0, taken.stderr);
    s3.clearLog();
    for (const args of [['delete', 'kept'], ['delete', '--all']]) {
      const result = await run(...args, '--confirm', '--storage-location', 'archive');
      assert.equal(result.code, ExitCode.BadInput, result.stderr);
      assert.match(result.stderr, /^Error: location "archive" is ReadOnly: backup delete would write to it/m);
    }
    assert.ok(!s3.requestLog.some((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'DELETE'), 'nothing removed');
    assert.match((await run('get', 'kept', '--storage-location', 'archive')).stdout, /^kept\s+Completed/m);
  });

  it('restores from a ReadOnly location without writing to it, and refuses restore delete there (exit 2)', async () => {
    await client.json({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ro-data' }, data: { a: '1' } } });
    const backup = await run('create', 'ro-source', '--storage-location', 'primary', '--include-namespaces', 'default', '--include-resources', 'configmaps');
    assert.equal(backup.code, 0, backup.stderr);
    const kept = await run('restore', 'create', 'ro-kept', '--from-backup', 'ro-source', '--storage-location', 'primary', '--namespace-mappings', 'default:ro-kept');
    assert.equal(kept.code, 0, kept.stderr);
    s3.clearLog();
    const restored = await run('restore', 'create', 'ro-restore', '--from-backup', 'ro-source', '--storage-location', 'archive', '--namespace-mappings', 'default:ro-copy');
    assert.equal(restored.code, 0, restored.stderr);
    assert.equal((await client.json<KubeObject & { data: Record<string, string> }>({ method: 'GET', path: '/api/v1/namespaces/ro-copy/configmaps/ro-data' })).data.a, '1');
    assert.ok(!s3.requestLog.some((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'DELETE'), 'nothing written to the ReadOnly location');
    const refused = await run('restore', 'delete', 'ro-kept', '--storage-location', 'archive', '--confirm');
    assert.equal(refused.code, ExitCode.BadInput, refused.stderr);
    assert.match(refused.stderr, /location "archive" is ReadOnly: restore delete would write to it/);
    assert.ok(!s3.requestLog.some((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'DELETE'), 'nothing deleted from the ReadOnly location');
    const still = await run('restore', 'get', 'ro-kept', '--storage-location', 'primary');
    assert.equal(still.code, 0, still.stderr);
  });

  it('takes a whole backup to an object-lock location with every object retained until its expiry', async () => {
    await run('location', 'set', 'worm', '--object-lock', 'governance');
    await client.json({ method: 'POST', path: '/api/v1/namespaces/default/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'locked-data' }, data: { a: '1' } } });
    s3.clearLog();
    const result = await run('create', 'locked-1', '--storage-location', 'worm', '--include-namespaces', 'default', '--ttl', '2h');
    assert.equal(result.code, 0, result.stderr);
    const resolved = await resolveLocation({ storageLocation: 'worm' }, { client, namespace: ns, env: {} });
    const chunks: Buffer[] = [];
    for await (const chunk of await resolved.store.get('backups/locked-1/kubectl-backup.json')) chunks.push(Buffer.from(chunk as Uint8Array));
    const record = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { status: { expiration: string } };
    const writes = s3.requestLog.filter((r) => r.operation === 'PutObject' || r.operation === 'CreateMultipartUpload');
    assert.ok(writes.length >= 4, `archive, resource list, results, log and record: ${writes.map((w) => w.key).join(', ')}`);
    for (const write of writes) {
      assert.equal(write.headers.objectLockMode, 'GOVERNANCE', write.key);
      assert.equal(new Date(write.headers.objectLockRetainUntilDate!).getTime(), new Date(record.status.expiration).getTime(), write.key);
    }
    assert.ok(writes.some((w) => w.key === 'worm/backups/locked-1/kubectl-backup.json'));
    const forever = await run('create', 'locked-2', '--storage-location', 'worm', '--ttl', '0');
    assert.equal(forever.code, ExitCode.BadInput);
    assert.match(forever.stderr, /a backup with --ttl 0 never expires: give a --ttl/);
  });

  it('resolves the default location when none is named, and the embedded default without CRDs', async () => {
    const resolved = await resolveLocation({}, { client, namespace: ns, env: {} });
    assert.equal(resolved.source, 'default');
    assert.equal(resolved.name, 'primary');
    const elsewhere = await resolveLocation({}, { client, namespace: 'empty-namespace', env: { XDG_DATA_HOME: dir } });
    assert.equal(elsewhere.source, 'embedded');
    assert.equal(elsewhere.url, `file://${dir}/kubectl-backup`);
  });

  it('resolves every location for gc and sync from one listing, ReadOnly ones only when asked', async () => {
    api.requestLog.clear();
    const writable = await resolveEach({}, { client, namespace: ns, env: {} }, false);
    const all = await resolveEach({}, { client, namespace: ns, env: {} }, true);
    const names = (locations: typeof all) => locations.map((l) => `${l.name} ${l.source} ${l.accessMode}`);
    assert.deepEqual(names(writable), ['broken named ReadWrite', 'primary named ReadWrite', 'secondary named ReadWrite', 'worm named ReadWrite']);
    assert.deepEqual(names(all), ['archive named ReadOnly', ...names(writable)]);
    assert.equal(all.find((l) => l.name === 'worm')?.objectLock, 'governance');
    const locationReads = api.requestLog.list().filter((r) => r.path.includes('/backupstoragelocations'));
    assert.deepEqual(locationReads.map((r) => `${r.method} ${r.path}`), [`GET /apis/kubectl-backup.io/v1/namespaces/${ns}/backupstoragelocations`, `GET /apis/kubectl-backup.io/v1/namespaces/${ns}/backupstoragelocations`], 'one listing per call, no GET of each location');
  });

  it("moves its schedules' pods to the new credentials Secret before the one it made is deleted", async () => {
    const file = join(dir, 'rotating.ini');
    writeFileSync(file, `[default]\naws_access_key_id = old-key\naws_secret_access_key = old-secret\n`);
    assert.equal((await run('location', 'create', 'rotating', '--url', s3.urlWithPrefix('rotating'), '--credentials-file', file)).code, 0);
    const scheduled = await run('schedule', 'create', 'rotating-nightly', '--schedule', '@daily', '--storage-location', 'rotating', '--include-namespaces', 'app');
    assert.equal(scheduled.code, 0, scheduled.stderr);
    const secretsRead = async () => {
      const cj = await client.json<{ spec: { jobTemplate: { spec: { template: { spec: { containers: { env?: { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[] }[] } } } } } }>({ method: 'GET', path: `/apis/batch/v1/namespaces/${ns}/cronjobs/rotating-nightly` });
      const env = cj.spec.jobTemplate.spec.template.spec.containers[0]!.env ?? [];
      return env.filter((e) => e.name.startsWith('AWS_')).map((e) => `${e.name}=${e.valueFrom?.secretKeyRef?.name}`);
    };
    assert.deepEqual(await secretsRead(), ['AWS_ACCESS_KEY_ID=kubectl-backup-location-rotating', 'AWS_SECRET_ACCESS_KEY=kubectl-backup-location-rotating', 'AWS_SESSION_TOKEN=kubectl-backup-location-rotating']);
    const set = await run('location', 'set', 'rotating', '--credentials-secret', 'kubectl-backup-location-x');
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /^schedules now reading the new credentials: rotating-nightly$/m);
    assert.deepEqual(await secretsRead(), ['AWS_ACCESS_KEY_ID=kubectl-backup-location-x', 'AWS_SECRET_ACCESS_KEY=kubectl-backup-location-x', 'AWS_SESSION_TOKEN=kubectl-backup-location-x']);
    await assert.rejects(secret('kubectl-backup-location-rotating'), /404/, 'the Secret --credentials-file made went with it');
    assert.equal((await run('schedule', 'delete', 'rotating-nightly', '--confirm')).code, 0);
    assert.equal((await run('location', 'delete', 'rotating', '--confirm')).code, 0);
  });

  it('deletes a location and the Secret it made, never the data', async () => {
    const keysBefore = s3.requestLog.length;
    const result = await run('location', 'delete', 'secondary', '--confirm');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout, 'storage location "secondary" deleted (its backups are kept in storage)\n', 'the Secret was not its own');
    const primary = await run('location', 'delete', 'primary', '--confirm');
    assert.equal(primary.stdout, 'storage location "primary" deleted, with its credentials Secret (its backups are kept in storage)\n');
    await assert.rejects(secret('kubectl-backup-location-primary'), /404/);
    assert.equal(s3.requestLog.length, keysBefore, 'storage was not touched');
  });
});
