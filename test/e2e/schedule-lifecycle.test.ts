import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { openObjectStore } from '../../src/storage/open-object-store.js';
import { ok, startE2e, type E2e, type RunResult } from '../helpers/plugin.js';
import type { S3TestServer } from '../s3/s3-test-server.js';

let e2e: E2e & { s3: S3TestServer };
const backup = (...args: string[]): Promise<RunResult> => e2e.backup(...args);
/** What the command printed, once it exited 0. */
const stdout = async (result: Promise<RunResult>): Promise<string> => (await ok(result)).stdout;
/** The location as the test sees it, with the S3 test server's credentials. */
const store = () => openObjectStore(e2e.s3.urlWithPrefix('e2e'), e2e.s3.env);
const plain = (...args: string[]): Promise<string> => e2e.kubectl.ok(args);

describe('e2e: schedules through kubectl and the built executable', () => {
  before(async () => {
    e2e = await startE2e({ api: { tls: true }, s3: { writeOnce: true } });
    const { s3 } = e2e;
    await stdout(backup('install'));
    await plain('create', 'secret', 'generic', 's3-credentials', '-n', 'kubectl-backup', `--from-literal=AWS_ACCESS_KEY_ID=${s3.env.AWS_ACCESS_KEY_ID}`, `--from-literal=AWS_SECRET_ACCESS_KEY=${s3.env.AWS_SECRET_ACCESS_KEY}`);
    await stdout(backup('location', 'create', 'primary', '--url', s3.urlWithPrefix('e2e'), '--credentials-secret', 's3-credentials', '--default'));
    await plain('create', 'namespace', 'shop');
    await plain('create', 'configmap', 'settings', '-n', 'shop', '--from-literal=color=blue');
  });
  after(() => e2e?.close());

  it('creates a schedule and lists it', async () => {
    const created = await stdout(backup('schedule', 'create', 'nightly', '--schedule', '0 2 * * *', '--time-zone', 'Europe/Paris', '--include-namespaces', 'shop', '--ttl', '72h'));
    assert.match(created, /^schedule "nightly" created in namespace kubectl-backup \(storage location "primary", image ghcr\.io\/kubectl-backup\/kubectl-backup:v.+\); first backup at \d{4}-\d\d-\d\dT02:00:00\+0[12]:00\n$/);
    const listed = await stdout(backup('schedule', 'get'));
    assert.match(listed, /^nightly\s+0 2 \* \* \*\s+Europe\/Paris\s+false\s+never\s+\S+\s+primary\s+72h$/m);
    const cronJobs = await plain('get', 'cronjobs', '-n', 'kubectl-backup', '-o', 'name');
    assert.equal(cronJobs, 'cronjob.batch/nightly\n');
  });

  it('takes a backup from the schedule now, named NAME-YYYYMMDDhhmmss', async () => {
    const result = await backup('create', '--from-schedule', 'nightly');
    assert.equal(result.code, 0, result.stderr);
    const name = /Backup "(nightly-\d{14})" Completed/.exec(result.stdout)?.[1];
    assert.ok(name, result.stdout);
    const record = await new BackupRepository(store()).require(name);
    assert.equal(record.metadata.labels['kubectl-backup.io/schedule-name'], 'nightly');
    assert.deepEqual(record.spec.includedNamespaces, ['shop']);
    assert.equal(record.spec.ttl, '72h0m0s');
    const objects = await plain('get', 'backups', '-n', 'kubectl-backup', '-l', 'kubectl-backup.io/schedule-name=nightly', '-o', 'name');
    assert.equal(objects, `backup.kubectl-backup.io/${name}\n`);
    const described = await stdout(backup('schedule', 'describe', 'nightly'));
    assert.match(described, new RegExp(`${name}\\s+Completed`));
    const clash = await backup('create', '--from-schedule', 'nightly', '--include-namespaces', 'other');
    assert.equal(clash.code, ExitCode.BadInput);
    assert.match(clash.stderr, /--include-namespaces cannot be given with it/);
  });

  it('pauses, unpauses and deletes the schedule, keeping its backups', async () => {
    assert.equal(await stdout(backup('schedule', 'pause', 'nightly')), 'schedule "nightly" paused\n');
    assert.equal((await plain('get', 'cronjob', 'nightly', '-n', 'kubectl-backup', '-o', 'jsonpath={.spec.suspend}')).trim(), 'true');
    assert.match(await stdout(backup('schedule', 'get', 'nightly')), /nightly .*\btrue\s+\S+ ago\s+<paused>|nightly .*\btrue\s+never\s+<paused>/);
    assert.equal(await stdout(backup('schedule', 'unpause', 'nightly')), 'schedule "nightly" unpaused\n');
    assert.equal((await plain('get', 'cronjob', 'nightly', '-n', 'kubectl-backup', '-o', 'jsonpath={.spec.suspend}')).trim(), 'false');
    const refused = await backup('schedule', 'delete', 'nightly');
    assert.equal(refused.code, ExitCode.BadInput, 'no --confirm without a terminal');
    assert.equal(await stdout(backup('schedule', 'delete', 'nightly', '--confirm')), 'schedule "nightly" deleted (its backups are kept)\n');
    assert.equal(await plain('get', 'cronjobs', '-n', 'kubectl-backup', '-o', 'name'), '');
    assert.equal((await new BackupRepository(store()).names()).filter((n) => n.startsWith('nightly-')).length, 1, 'the backup is kept');
    assert.match(await plain('get', 'backups', '-n', 'kubectl-backup', '-o', 'name'), /backup\.kubectl-backup\.io\/nightly-\d{14}/, 'its object too: it was not owned');
  });
});
