import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { appendFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import YAML from 'yaml';
import { readResourceList } from '../../src/backup-records/backup-artifacts.js';
import { describeBackup } from '../../src/backup-records/backup-description.js';
import { describeAsText } from '../../src/backup-records/description-text.js';
import { writeWithDetails, type DetailsFormat } from '../../src/backup-records/details-writer.js';
import { viewBackupObject } from '../../src/cluster-records/backup-object.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { backupKeys } from '../../src/storage/layout.js';
import { storeBackup } from '../builders/stored-backup.js';

describe('backup describe: the view of a backup', () => {
  const root = mkdtempSync(join(tmpdir(), 'kb-describe-'));
  const store = new FileObjectStore(root);
  const start = new Date('2030-01-01T10:00:00Z');
  const now = new Date('2030-01-02T10:00:00Z');
  const items = { 'v1/Namespace': ['shop'], 'v1/Secret': ['shop/db-password', 'shop/tls'], 'apps/v1/Deployment': ['shop/web'] };

  after(() => rm(root, { recursive: true, force: true }));

  it('shows filters, times, counts, Secrets by number only, warnings, errors and artifacts', async () => {
    const record = await storeBackup(store, 'shop-1', {
      start,
      labels: { team: 'data' },
      items,
      spec: { includedNamespaces: ['shop', 'shop-*'], excludedResources: ['events'], labelSelector: 'app=web', orderedResources: { pods: 'shop/a,shop/b' } },
      warnings: { cluster: ['--include-resources: "gadgets" matches no resource'] },
      errors: { namespaces: { shop: ['cannot list widgets: 500 Internal Server Error'] } },
    });
    const description = await describeBackup(store, { source: 'storage', name: 'shop-1', record });
    assert.equal(description.phase, 'PartiallyFailed');
    assert.equal(description.secrets, 2);
    assert.equal(description.durationSeconds, 1.5);
    assert.deepEqual(description.itemsByResource, { namespaces: 1, secrets: 2, 'deployments.apps': 1 });
    assert.deepEqual(description.errors, { count: 1, messages: { cluster: [], namespaces: { shop: ['cannot list widgets: 500 Internal Server Error'] } } });
    assert.equal(description.artifacts.length, 4);

    const text = describeAsText(description, now);
    for (const line of [
      'Name:         shop-1',
      'Labels:       team=data',
      'Phase:  PartiallyFailed',
      '  Included:  shop, shop-*',
      '  Excluded:        events',
      '  Cluster-scoped:  auto',
      'Label selector:     app=web',
      'Ordered resources:  pods: shop/a,shop/b',
      'Started:    2030-01-01T10:00:00.000Z',
      'Duration:   1.5s',
      'Expiration:  2030-01-31T10:00:00.000Z (in 29d)',
      'Cluster:         https://cluster.example:6443 (v1.32.0)',
      'Items backed up:              4',
      '  secrets:           2',
      'Secrets:  2 (their data is never shown)',
      'Warnings:  1',
      '    --include-resources: "gadgets" matches no resource',
      'Errors:  1',
      '    shop:',
      '      cannot list widgets: 500 Internal Server Error',
    ]) {
      assert.ok(text.split('\n').includes(line), `missing line ${JSON.stringify(line)} in:\n${text}`);
    }
    for (const artifact of record.status.artifacts) assert.match(text, new RegExp(`${artifact.key}\\s+[\\d.]+ (B|KiB)\\s+sha256:${artifact.sha256}`));
    assert.doesNotMatch(text, /db-password/, 'Secret names are not listed without --details');
  });

  it('says why warnings and errors are missing when the results artifact fails its check', async () => {
    const record = await storeBackup(store, 'tampered', { start });
    await appendFile(join(root, ...backupKeys('tampered').results.split('/')), 'x');
    const description = await describeBackup(store, { source: 'storage', name: 'tampered', record });
    assert.match(description.resultsProblem ?? '', /^artifact "backups\/tampered\/tampered-results\.gz" failed its integrity check: it is larger than the \d+ bytes its record says$/);
    assert.equal(description.warnings.messages, undefined);
    assert.match(describeAsText(description, now), /\(messages cannot be shown: artifact "backups\/tampered\/tampered-results\.gz" failed/);
  });

  it('describes a backup that never expires, and one still running from its Backup object', async () => {
    const record = await storeBackup(store, 'forever', { start, expiration: null, spec: { ttl: '0s' } });
    assert.match(describeAsText(await describeBackup(store, { source: 'storage', name: 'forever', record }), now), /^Expiration: {2}<never>$/m);

    const object = viewBackupObject({
      apiVersion: 'kubectl-backup.io/v1',
      kind: 'Backup',
      metadata: { name: 'running', labels: { a: 'b' } },
      spec: { includedNamespaces: ['*'], storageLocation: 'default', ttl: '720h0m0s' },
      status: { phase: 'InProgress', startTimestamp: '2030-01-02T09:59:00Z', expiration: '2030-02-01T09:59:00Z', progress: { totalItems: 5000, itemsBackedUp: 1200 } },
    });
    const live = await describeBackup(store, { source: 'cluster', name: 'running', object, phase: 'InProgress' });
    assert.deepEqual(live.progress, { totalItems: 5000, itemsBackedUp: 1200 });
    const text = describeAsText(live, now);
    assert.match(text, /^Phase: {2}InProgress {2}\(running or ended without a record; from its Backup object\)$/m);
    assert.match(text, /^Total items to be backed up: {2}5000$/m);
    assert.match(text, /^Items backed up: {14}1200$/m);
    assert.doesNotMatch(text, /Artifacts:/);
  });

  it('keeps control characters of untrusted messages off the terminal', async () => {
    const record = await storeBackup(store, 'escapes', { start, warnings: { cluster: ['bad \u001b[31mred\u001b[0m'] } });
    const text = describeAsText(await describeBackup(store, { source: 'storage', name: 'escapes', record }), now);
    assert.ok(!text.includes('\u001b'));
    assert.match(text, /bad \uFFFD\[31mred/);
  });

  it('keeps control characters of a hostile record off the terminal: cluster, format version, resources, artifacts', async () => {
    const record = await storeBackup(store, 'hostile', { start, items });
    const description = await describeBackup(store, { source: 'storage', name: 'hostile', record });
    const hostile = {
      ...description,
      cluster: { server: 'https://ok\u001b]0;pwned\u0007\u001b[2J', version: 'v1\u009b31m' },
      formatVersion: '1\u001b[2J\n',
      itemsByResource: { 'secrets\u001b[31m\nPhase:  Completed': 1 },
      labels: { app: 'web\n\tPhase:  Completed' },
      artifacts: [{ ...description.artifacts[0]!, key: 'backups/hostile/x\u001b[2J', sha256: 'ab\u0007' }],
    };
    const text = describeAsText(hostile, now);
    // eslint-disable-next-line no-control-regex
    assert.ok(!/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(text), JSON.stringify(text));
    assert.match(text, /^Cluster: +https:\/\/ok\uFFFD\]0;pwned\uFFFD\uFFFD\[2J \(v1\uFFFD31m\)$/m);
    assert.match(text, /^Format version: +1\uFFFD\[2J $/m);
    assert.match(text, /^ {2}secrets\uFFFD\[31m Phase: {2}Completed: +1$/m, 'a resource name stays on its line');
    assert.match(text, /^Labels: +app=web {2}Phase: {2}Completed$/m, 'a label stays on its line, tabs included');
    assert.match(text, /^ {2}backups\/hostile\/x\uFFFD\[2J +[\d.]+ B +sha256:ab\uFFFD$/m);
  });

  it('shows the first 10,000 messages of a group of millions, and how many more there are', async () => {
    const record = await storeBackup(store, 'noisy', { start, items, warnings: { namespaces: { shop: Array.from({ length: 500_000 }, () => 'w') } } });
    const description = await describeBackup(store, { source: 'storage', name: 'noisy', record });
    const text = describeAsText(description, now);
    assert.match(text, /^ {2}\.\.\. and 490001 more \(not shown\)$/m);
    assert.equal(text.split('\n').filter((line) => line === '      w').length, 9_999);
  });

  describe('--details', () => {
    let record: Awaited<ReturnType<typeof storeBackup>>;
    before(async () => {
      record = await storeBackup(store, 'detailed', { start, items: { ...items, 'v1/ConfigMap': [] } });
    });

    async function details(format: DetailsFormat, head: string | object): Promise<string> {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await writeWithDetails(out, format, head, readResourceList(store, record));
      return Buffer.concat(chunks).toString('utf8');
    }

    it('lists every item under its type, as Velero does', async () => {
      const text = await details('table', 'Name:  detailed\n');
      assert.equal(
        text,
        'Name:  detailed\n\nResource List:\n  v1/Namespace:\n    - shop\n  v1/Secret:\n    - shop/db-password\n    - shop/tls\n  apps/v1/Deployment:\n    - shop/web\n  v1/ConfigMap:\n',
      );
    });

    it('adds the items to json and yaml as one valid document', async () => {
      const head = { name: 'detailed', phase: 'Completed', nested: { a: [1, 2] } };
      const expected = { ...head, resourceList: { ...items, 'v1/ConfigMap': [] } };
      assert.deepEqual(JSON.parse(await details('json', head)), expected);
      assert.deepEqual(YAML.parse(await details('yaml', head)), expected);
    });

    it('writes an empty list as an empty mapping', async () => {
      const empty = await storeBackup(store, 'empty', { start, items: {} });
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (chunk: Buffer) => chunks.push(chunk));
      await writeWithDetails(out, 'yaml', { name: 'empty' }, readResourceList(store, empty));
      assert.deepEqual(YAML.parse(Buffer.concat(chunks).toString('utf8')), { name: 'empty', resourceList: {} });
    });
  });
});
