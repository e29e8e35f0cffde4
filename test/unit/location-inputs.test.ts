import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExitCode } from '../../src/errors.js';
import { checkLocation } from '../../src/location/check-location.js';
import { parseCredentialsFile } from '../../src/location/credentials-file.js';
import { checkLocationSettings, parseAccessMode, parseObjectLock, requireLocationName, requireSecretName } from '../../src/location/location-request.js';
import { requireWritable, retentionFor, resolveLocation, type ResolvedLocation } from '../../src/location/resolve.js';
import { locationFromObject, locationObject } from '../../src/location/storage-location.js';
import { Readable } from 'node:stream';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import type { ListedObject, ObjectInfo, ObjectStore, StoredObject } from '../../src/storage/object-store.js';

const badInput = (message: RegExp | string) => (err: Error & { exitCode?: number }) => {
  assert.equal(err.exitCode, ExitCode.BadInput, err.message);
  if (typeof message === 'string') assert.equal(err.message, message);
  else assert.match(err.message, message);
  return true;
};

describe('location: credentials files', () => {
  it('reads an AWS credentials file: [default], the only profile, or the one named', () => {
    const ini = '# comment\n[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = s3cr3t/default\n\n[profile ci]\naws_access_key_id=AKIDCI\naws_secret_access_key=ci\naws_session_token=tok\n';
    assert.deepEqual(parseCredentialsFile(ini, 'f'), { AWS_ACCESS_KEY_ID: 'AKIDDEFAULT', AWS_SECRET_ACCESS_KEY: 's3cr3t/default' });
    assert.deepEqual(parseCredentialsFile(ini, 'f', 'ci'), { AWS_ACCESS_KEY_ID: 'AKIDCI', AWS_SECRET_ACCESS_KEY: 'ci', AWS_SESSION_TOKEN: 'tok' });
    assert.deepEqual(parseCredentialsFile('[only]\naws_access_key_id=A\naws_secret_access_key=B\n', 'f'), { AWS_ACCESS_KEY_ID: 'A', AWS_SECRET_ACCESS_KEY: 'B' });
  });

  it('reads a KEY=VALUE env file, with export and quotes', () => {
    const env = 'export AWS_ACCESS_KEY_ID="AKID"\r\nAWS_SECRET_ACCESS_KEY=\'se=cret\'\nOTHER=1\n';
    assert.deepEqual(parseCredentialsFile(env, 'f.env'), { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'se=cret' });
  });

  it('never repeats a value or a line in its errors', () => {
    const secret = 'VERY-SECRET-VALUE';
    const cases: [string, string | undefined, string][] = [
      [`AWS_ACCESS_KEY_ID=x\n${secret}\n`, undefined, '--credentials-file f: line 2 is not KEY=VALUE'],
      [`AWS_ACCESS_KEY_ID=${secret}\n`, undefined, '--credentials-file f: AWS_SECRET_ACCESS_KEY (aws_secret_access_key) is missing or empty'],
      [`AWS_SECRET_ACCESS_KEY=${secret}\n`, undefined, '--credentials-file f: AWS_ACCESS_KEY_ID (aws_access_key_id) is missing or empty'],
      [`[a]\naws_access_key_id=${secret}\n[b]\naws_access_key_id=y\n`, undefined, '--credentials-file f: it has several profiles and none is [default]: name one with --credentials-profile (a, b)'],
      [`[a]\naws_access_key_id=${secret}\n`, 'zz', '--credentials-file f: it has no profile [zz] (profiles: a)'],
      [`AWS_ACCESS_KEY_ID=${secret}\n`, 'p', '--credentials-file f: --credentials-profile needs a credentials file with [profile] sections'],
    ];
    for (const [text, profile, message] of cases) {
      assert.throws(() => parseCredentialsFile(text, 'f', profile), (err: Error) => {
        assert.equal(err.message, message);
        assert.ok(!err.message.includes(secret));
        return true;
      });
    }
  });
});

describe('location: inputs', () => {
  it('checks names, access modes and object lock modes', () => {
    assert.equal(requireLocationName('primary'), 'primary');
    assert.throws(() => requireLocationName('Primary'), badInput(/^invalid storage location name "Primary": it must consist/));
    assert.equal(parseAccessMode('readonly'), 'ReadOnly');
    assert.throws(() => parseAccessMode('rw'), badInput('invalid --access-mode "rw": expected ReadWrite or ReadOnly'));
    assert.equal(parseObjectLock('COMPLIANCE'), 'compliance');
    assert.equal(parseObjectLock('none', true), null);
    assert.throws(() => parseObjectLock('none'), badInput('invalid --object-lock "none": expected governance or compliance'));
    assert.throws(() => parseObjectLock('legal-hold', true), badInput('invalid --object-lock "legal-hold": expected governance or compliance (or none to turn it off)'));
    assert.equal(requireSecretName('s3-creds'), 's3-creds');
    assert.throws(() => requireSecretName('S3 creds'), badInput(/invalid --credentials-secret "S3 creds"/));
  });

  it('keeps object lock and credentials to S3 locations', () => {
    checkLocationSettings('s3://bucket', { objectLock: 'governance', credentialsSecret: 'x' });
    assert.throws(() => checkLocationSettings('file:///backups', { objectLock: 'governance' }), badInput(/--object-lock needs an S3 location/));
    assert.throws(() => checkLocationSettings('file:///backups', { credentialsSecret: 'x' }), badInput(/credentials .* are for S3 locations/));
    assert.throws(() => checkLocationSettings('ftp://x', {}), badInput(/scheme "ftp:" is not supported/));
  });

  it('round-trips a location through its object', () => {
    const location = { name: 'primary', url: 's3://b/p', credentialsSecret: 'c', default: true, accessMode: 'ReadOnly' as const, objectLock: 'governance' as const };
    const obj = locationObject(location, 'ns');
    assert.equal(obj.apiVersion, 'kubectl-backup.io/v1');
    assert.equal(obj.kind, 'BackupStorageLocation');
    assert.deepEqual(locationFromObject(obj), location);
    assert.deepEqual(locationFromObject({ metadata: { name: 'x' }, spec: { url: 'file:///x' } }), { name: 'x', url: 'file:///x', default: false, accessMode: 'ReadWrite' });
  });
});

describe('location: resolution without a cluster', () => {
  let dir: string;
  before(async () => (dir = await mkdtemp(join(tmpdir(), 'kb-loc-'))));
  after(async () => rm(dir, { recursive: true, force: true }));

  it('uses --storage URL as given, else the embedded default under XDG_DATA_HOME', async () => {
    const byUrl = await resolveLocation({ storageUrl: `file://${dir}/a` }, { namespace: 'ns', env: {} });
    assert.equal(byUrl.source, 'url');
    assert.equal(byUrl.reference, `file://${dir}/a`);
    const embedded = await resolveLocation({}, { namespace: 'ns', env: { XDG_DATA_HOME: dir } });
    assert.equal(embedded.source, 'embedded');
    assert.equal(embedded.url, `file://${dir}/kubectl-backup`);
    assert.equal(embedded.accessMode, 'ReadWrite');
  });

  it('loads the S3 SDK for an s3:// location only', () => {
    // A process of its own: this one may have loaded the SDK already.
    const script = `
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load: (url, context, next) => (loaded.push(url), next(url, context)) });
      const sdk = () => loaded.some((url) => url.includes('/@aws-sdk/'));
      const { resolveLocation } = await import(${JSON.stringify(new URL('../../src/location/resolve.ts', import.meta.url).href)});
      await resolveLocation({ storageUrl: ${JSON.stringify(`file://${tmpdir()}/kb-unused`)} }, { namespace: 'ns', env: {} });
      const forFile = sdk();
      await resolveLocation({ storageUrl: 's3://bucket?endpoint=http://127.0.0.1:9' }, { namespace: 'ns', env: {} });
      console.log(JSON.stringify({ forFile, forS3: sdk() }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout), { forFile: false, forS3: true });
  });

  it('refuses both --storage and --storage-location, and a name without a cluster', async () => {
    await assert.rejects(resolveLocation({ storageUrl: 'file:///x', storageLocation: 'y' }, { namespace: 'ns' }), badInput('give --storage URL or --storage-location NAME, not both'));
    await assert.rejects(resolveLocation({ storageLocation: 'y' }, { namespace: 'ns' }), badInput('--storage-location y needs a cluster to read the location from'));
    await assert.rejects(resolveLocation({ storageUrl: 'http://x' }, { namespace: 'ns' }), badInput(/scheme "http:" is not supported/));
  });

  it('refuses writes to a ReadOnly location and gives object-lock retention until the expiry', () => {
    const base: ResolvedLocation = { source: 'named', name: 'archive', url: 's3://b', reference: 'archive', label: 'location "archive"', accessMode: 'ReadOnly', store: new FileObjectStore(dir) };
    assert.throws(() => requireWritable(base, 'backup create'), badInput('location "archive" is ReadOnly: backup create would write to it; restore from it, or see: kubectl backup location set archive --access-mode ReadWrite'));
    requireWritable({ ...base, accessMode: 'ReadWrite' }, 'backup create');
    const expiry = new Date('2030-01-01T00:00:00Z');
    assert.equal(retentionFor(base, expiry), undefined);
    assert.deepEqual(retentionFor({ ...base, objectLock: 'compliance' }, expiry), { mode: 'COMPLIANCE', retainUntil: expiry });
    assert.deepEqual(retentionFor({ ...base, objectLock: 'governance' }, expiry), { mode: 'GOVERNANCE', retainUntil: expiry });
    assert.throws(() => retentionFor({ ...base, objectLock: 'governance' }, null), badInput(/a backup with --ttl 0 never expires: give a --ttl/));
  });
});

/** A store in memory: what the check does to objects, without a disk or a network. */
class MemoryStore implements ObjectStore {
  readonly supportsRetention = false;
  readonly objects = new Map<string, Buffer>();
  constructor(
    private readonly failPut = false,
    /** What a read returns instead of what was written. */
    private readonly readBack: (written: Buffer) => Buffer = (written) => written,
  ) {}
  describe(): string {
    return 'memory://';
  }
  async put(key: string, body: Readable): Promise<StoredObject> {
    if (this.failPut) {
      body.destroy();
      throw new Error('AccessDenied: no writes here');
    }
    const chunks: Buffer[] = [];
    for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
    this.objects.set(key, Buffer.concat(chunks));
    return { key, size: this.objects.get(key)!.length, sha256: '' };
  }
  async get(key: string): Promise<Readable> {
    return Readable.from([this.readBack(this.objects.get(key)!)]);
  }
  async head(key: string): Promise<ObjectInfo | undefined> {
    const data = this.objects.get(key);
    return data ? { size: data.length, lastModified: new Date() } : undefined;
  }
  async *list(prefix: string): AsyncIterable<ListedObject> {
    for (const [key, data] of [...this.objects].sort()) if (key.startsWith(prefix)) yield { key, size: data.length, lastModified: new Date() };
  }
  async delete(key: string): Promise<void> {
    this.objects.delete(key);
  }
}

describe('location: check', () => {
  it('writes, reads, lists and deletes a probe outside backups/, leaving nothing behind', async () => {
    const store = new MemoryStore();
    const steps = await checkLocation(store, { readOnly: false });
    assert.deepEqual(steps.map((s) => [s.step, s.ok]), [['write', true], ['read', true], ['list', true], ['delete', true]]);
    assert.match(steps[0]!.detail!, /^\d+ bytes to kubectl-backup-check\/probe-/);
    assert.equal(store.objects.size, 0);
  });

  it('only lists a ReadOnly location', async () => {
    const store = new MemoryStore();
    const steps = await checkLocation(store, { readOnly: true });
    assert.deepEqual(steps.map((s) => [s.step, s.ok, s.skipped]), [['write', true, 'ReadOnly location'], ['read', true, 'ReadOnly location'], ['list', true, undefined], ['delete', true, 'ReadOnly location']]);
  });

  it('fails the read when the probe comes back different, or longer than written', async () => {
    const altered = await checkLocation(new MemoryStore(false, (written) => Buffer.from(written.toString().toUpperCase())), { readOnly: false });
    assert.match(altered[1]!.detail!, /^read (\d+) bytes that differ from the \1 written$/);
    const longer = await checkLocation(new MemoryStore(false, (written) => Buffer.concat([written, Buffer.from('x')])), { readOnly: false });
    assert.match(longer[1]!.detail!, /^read more than the \d+ bytes written$/);
    for (const steps of [altered, longer]) assert.deepEqual(steps.map((s) => [s.step, s.ok]), [['write', true], ['read', false], ['list', true], ['delete', true]]);
  });

  it('with --object-lock, proves the bucket has Object Lock without writing anything under retention', async () => {
    const store = Object.assign(new MemoryStore(), { objectLock: async () => ({ enabled: true, defaultRetention: { mode: 'GOVERNANCE' as const, days: 30 } }) });
    const steps = await checkLocation(store, { readOnly: false, objectLock: 'COMPLIANCE' });
    assert.deepEqual(steps.map((s) => [s.step, s.ok]), [['write', true], ['read', true], ['list', true], ['delete', true], ['object-lock', true]]);
    assert.equal(steps[4]!.detail, 'the bucket has Object Lock (default retention GOVERNANCE 30 days); backups are put under COMPLIANCE retention until they expire');
    assert.equal(store.objects.size, 0);
    const readOnly = await checkLocation(store, { readOnly: true, objectLock: 'COMPLIANCE' });
    assert.deepEqual(readOnly[4], { step: 'object-lock', ok: true, skipped: 'ReadOnly location' });
  });

  it('with --object-lock, fails on a bucket without Object Lock, or a store that keeps no retention', async () => {
    const unlocked = await checkLocation(Object.assign(new MemoryStore(), { objectLock: async () => ({ enabled: false }) }), { readOnly: false, objectLock: 'GOVERNANCE' });
    assert.deepEqual(unlocked[4], {
      step: 'object-lock',
      ok: false,
      detail: 'the bucket has no Object Lock, so it refuses every object put with a GOVERNANCE retention, as backups are; use a bucket created with Object Lock, or turn it off with --object-lock none',
    });
    const plain = await checkLocation(new MemoryStore(), { readOnly: false, objectLock: 'GOVERNANCE' });
    assert.deepEqual(plain[4], { step: 'object-lock', ok: false, detail: 'memory:// keeps no retention: object lock needs an S3 location' });
    assert.equal((await checkLocation(new MemoryStore(), { readOnly: false })).length, 4, 'without --object-lock, no such step');
  });

  it('reports a failed write and skips the rest', async () => {
    const steps = await checkLocation(new MemoryStore(true), { readOnly: false });
    assert.deepEqual(steps[0], { step: 'write', ok: false, detail: 'AccessDenied: no writes here' });
    assert.deepEqual(steps.slice(1).map((s) => [s.step, s.ok, s.skipped]), [['read', false, 'the write failed'], ['list', false, 'the write failed'], ['delete', false, 'the write failed']]);
  });
});
