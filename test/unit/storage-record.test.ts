import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { backupExpiry, isBackupExpired, parseBackupRecord } from '../../src/storage/backup-record.js';
import { parseRestoreRecord } from '../../src/storage/restore-record.js';
import { InvalidRecordError } from '../../src/storage/storage-errors.js';
import { sampleBackupRecord, sampleRestoreRecord, withField } from './storage-sample-records.js';

const BACKUP_KEY = 'backups/b1/kubectl-backup.json';
const RESTORE_KEY = 'restores/r1/kubectl-backup.json';

function invalid(parse: () => unknown, expected: string): void {
  assert.throws(parse, (err: Error & { exitCode?: number }) => {
    assert.ok(err instanceof InvalidRecordError, String(err));
    assert.equal(err.exitCode, ExitCode.BadInput);
    assert.equal(err.message, expected);
    return true;
  });
}

describe('storage records', () => {
  describe('backup record', () => {
    it('parses what the engine writes, unchanged', () => {
      const record = sampleBackupRecord();
      assert.deepEqual(parseBackupRecord(JSON.parse(JSON.stringify(record)), BACKUP_KEY, 'b1'), record);
    });

    it('fills filters that were not given and drops fields it does not know', () => {
      let json = withField(sampleBackupRecord(), 'spec.excludedNamespaces', undefined);
      json = withField(json, 'spec.labelSelector', undefined);
      json = withField(json, 'status.surprise', 1);
      const record = parseBackupRecord(json, BACKUP_KEY);
      assert.deepEqual(record.spec.excludedNamespaces, []);
      assert.equal(record.spec.labelSelector, null);
      assert.ok(!('surprise' in record.status));
    });

    it('keeps an expiry of null as "never"', () => {
      const record = parseBackupRecord(sampleBackupRecord('b1', { expiration: null }), BACKUP_KEY);
      assert.equal(backupExpiry(record), undefined);
      assert.equal(isBackupExpired(record, new Date('2999-01-01T00:00:00Z')), false);
      const expiring = parseBackupRecord(sampleBackupRecord(), BACKUP_KEY);
      assert.equal(isBackupExpired(expiring, new Date('2024-05-31T01:59:59Z')), false);
      assert.equal(isBackupExpired(expiring, new Date('2024-05-31T02:00:00Z')), true);
    });

    const cases: [string, unknown, string][] = [
      ['apiVersion', 'velero.io/v1', 'apiVersion must be kubectl-backup.io/v1'],
      ['kind', 'Restore', 'kind must be Backup'],
      ['metadata', 'x', 'metadata must be an object'],
      ['metadata.name', '', 'metadata.name must not be empty'],
      ['metadata.name', 'b2', 'metadata.name is "b2" but the record is stored as "b1"'],
      ['metadata.labels', { a: 1 }, 'metadata.labels["a"] must be a string'],
      ['metadata.annotations', [], 'metadata.annotations must be an object'],
      ['spec', null, 'spec must be an object'],
      ['spec.includedNamespaces', 'a,b', 'spec.includedNamespaces must be a list of strings'],
      ['spec.excludedNamespaces', [1], 'spec.excludedNamespaces[0] must be a string'],
      ['spec.includedResources', {}, 'spec.includedResources must be a list of strings'],
      ['spec.excludedResources', [null], 'spec.excludedResources[0] must be a string'],
      ['spec.includeClusterResources', 'yes', 'spec.includeClusterResources must be true or false'],
      ['spec.labelSelector', 3, 'spec.labelSelector must be a string'],
      ['spec.orLabelSelectors', [true], 'spec.orLabelSelectors[0] must be a string'],
      ['spec.orderedResources', { pods: ['a'] }, 'spec.orderedResources["pods"] must be a string'],
      ['spec.ttl', 720, 'spec.ttl must be a string'],
      ['spec.storageLocation', undefined, 'spec.storageLocation must be a string'],
      ['spec.clientPageSize', -1, 'spec.clientPageSize must be a non-negative integer'],
      ['status', [], 'status must be an object'],
      ['status.phase', 'InProgress', 'status.phase must be one of Completed, PartiallyFailed, Failed'],
      ['status.formatVersion', '', 'status.formatVersion must not be empty'],
      ['status.startTimestamp', '2024-05-01 02:00:00', 'status.startTimestamp must be an RFC 3339 UTC time such as 2024-05-01T12:00:00Z'],
      ['status.completionTimestamp', '2024-13-01T00:00:00Z', 'status.completionTimestamp must be an RFC 3339 UTC time such as 2024-05-01T12:00:00Z'],
      ['status.expiration', '2024-05-31T02:00:00+02:00', 'status.expiration must be an RFC 3339 UTC time such as 2024-05-01T12:00:00Z'],
      ['status.cluster', undefined, 'status.cluster must be an object'],
      ['status.cluster.server', 1, 'status.cluster.server must be a string'],
      ['status.cluster.version', undefined, 'status.cluster.version must be a string'],
      ['status.progress', 3, 'status.progress must be an object'],
      ['status.progress.totalItems', 1.5, 'status.progress.totalItems must be a non-negative integer'],
      ['status.progress.itemsBackedUp', '3', 'status.progress.itemsBackedUp must be a non-negative integer'],
      ['status.itemsByResource', { secrets: -2 }, 'status.itemsByResource["secrets"] must be a non-negative integer'],
      ['status.warnings', undefined, 'status.warnings must be a non-negative integer'],
      ['status.errors', null, 'status.errors must be a non-negative integer'],
      ['status.failureReason', 42, 'status.failureReason must be a string'],
      ['status.artifacts', {}, 'status.artifacts must be a list'],
      ['status.artifacts.0', 'x', 'status.artifacts[0] must be an object'],
      ['status.artifacts.0.key', 7, 'status.artifacts[0].key must be a string'],
      ['status.artifacts.0.key', 'backups/b1/../../etc/passwd', 'status.artifacts[0].key is not a valid key: it contains a ".." segment'],
      ['status.artifacts.0.key', 'backups/b2/b2.tar.gz', 'status.artifacts[0].key must name an object under backups/b1/ other than the record'],
      ['status.artifacts.0.key', 'backups/b1/kubectl-backup.json', 'status.artifacts[0].key must name an object under backups/b1/ other than the record'],
      ['status.artifacts.1.key', 'backups/b1/b1.tar.gz', 'status.artifacts[1].key lists backups/b1/b1.tar.gz twice'],
      ['status.artifacts.0.size', -1, 'status.artifacts[0].size must be a non-negative integer'],
      ['status.artifacts.0.size', undefined, 'status.artifacts[0].size must be a non-negative integer'],
      ['status.artifacts.0.sha256', 'A'.repeat(64), 'status.artifacts[0].sha256 must be 64 lowercase hex characters'],
      ['status.artifacts.0.sha256', 'abc', 'status.artifacts[0].sha256 must be 64 lowercase hex characters'],
    ];
    for (const [path, value, problem] of cases) {
      it(`names ${path} when it is ${JSON.stringify(value) ?? 'missing'}`, () => {
        invalid(() => parseBackupRecord(withField(sampleBackupRecord(), path, value), BACKUP_KEY, 'b1'), `invalid record "${BACKUP_KEY}": ${problem}`);
      });
    }

    it('refuses what is not an object at all', () => {
      invalid(() => parseBackupRecord([], BACKUP_KEY), `invalid record "${BACKUP_KEY}": the record must be an object`);
      invalid(() => parseBackupRecord(null, BACKUP_KEY), `invalid record "${BACKUP_KEY}": the record must be an object`);
    });

    it('refuses a name that cannot be a backup name', () => {
      invalid(
        () => parseBackupRecord(withField(sampleBackupRecord(), 'metadata.name', 'Bad/Name'), BACKUP_KEY),
        `invalid record "${BACKUP_KEY}": metadata.name is not a valid name: it must consist of lowercase letters, digits, "-" and ".", and start and end with a letter or digit (a DNS-1123 subdomain)`,
      );
    });
  });

  describe('restore record', () => {
    it('parses what the engine writes, unchanged', () => {
      const record = sampleRestoreRecord();
      assert.deepEqual(parseRestoreRecord(JSON.parse(JSON.stringify(record)), RESTORE_KEY, 'r1'), record);
    });

    const cases: [string, unknown, string][] = [
      ['kind', 'Backup', 'kind must be Restore'],
      ['metadata.name', 'r2', 'metadata.name is "r2" but the record is stored as "r1"'],
      ['spec.backupName', '', 'spec.backupName must not be empty'],
      ['spec.backupName', '../b', 'spec.backupName is not a valid backup name: it must consist of lowercase letters, digits, "-" and ".", and start and end with a letter or digit (a DNS-1123 subdomain)'],
      ['spec.scheduleName', 5, 'spec.scheduleName must be a string'],
      ['spec.includedNamespaces', 'x', 'spec.includedNamespaces must be a list of strings'],
      ['spec.orderedResources', { pods: ['a'] }, 'spec.orderedResources["pods"] must be a string'],
      ['spec.namespaceMapping', { src: 1 }, 'spec.namespaceMapping["src"] must be a string'],
      ['spec.existingResourcePolicy', 'replace', 'spec.existingResourcePolicy must be one of none, update'],
      ['spec.preserveNodePorts', 'no', 'spec.preserveNodePorts must be true or false'],
      ['spec.includeOwnedResources', 1, 'spec.includeOwnedResources must be true or false'],
      ['status.phase', 'Running', 'status.phase must be one of Completed, PartiallyFailed, Failed'],
      ['status.startTimestamp', 'yesterday', 'status.startTimestamp must be an RFC 3339 UTC time such as 2024-05-01T12:00:00Z'],
      ['status.cluster.server', null, 'status.cluster.server must be a string'],
      ['status.counts', undefined, 'status.counts must be an object'],
      ['status.counts.created', -1, 'status.counts.created must be a non-negative integer'],
      ['status.counts.failed', undefined, 'status.counts.failed must be a non-negative integer'],
      ['status.countsByResource', [], 'status.countsByResource must be an object'],
      ['status.countsByResource.configmaps', { created: 1 }, 'status.countsByResource["configmaps"].updated must be a non-negative integer'],
      ['status.warnings', 'many', 'status.warnings must be a non-negative integer'],
      ['status.artifacts.0.key', 'backups/b1/b1.tar.gz', 'status.artifacts[0].key must name an object under restores/r1/ other than the record'],
      ['status.artifacts.0.sha256', undefined, 'status.artifacts[0].sha256 must be a string'],
    ];
    for (const [path, value, problem] of cases) {
      it(`names ${path} when it is ${JSON.stringify(value) ?? 'missing'}`, () => {
        invalid(() => parseRestoreRecord(withField(sampleRestoreRecord(), path, value), RESTORE_KEY, 'r1'), `invalid record "${RESTORE_KEY}": ${problem}`);
      });
    }
  });
});
