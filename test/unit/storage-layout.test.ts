import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import {
  assertValidName,
  backupKeys,
  normalizePrefix,
  parseKey,
  prefixedKey,
  probeKey,
  recordKey,
  restoreKeys,
  unprefixedKey,
} from '../../src/storage/layout.js';
import { assertValidKey } from '../../src/storage/object-key.js';

describe('storage layout', () => {
  it("names a backup's objects as Velero does, with our record", () => {
    assert.deepEqual(backupKeys('nightly-20240501020000'), {
      dir: 'backups/nightly-20240501020000/',
      archive: 'backups/nightly-20240501020000/nightly-20240501020000.tar.gz',
      resourceList: 'backups/nightly-20240501020000/nightly-20240501020000-resource-list.json.gz',
      results: 'backups/nightly-20240501020000/nightly-20240501020000-results.gz',
      logs: 'backups/nightly-20240501020000/nightly-20240501020000-logs.gz',
      record: 'backups/nightly-20240501020000/kubectl-backup.json',
    });
  });

  it("names a restore's objects as Velero does, with our record", () => {
    assert.deepEqual(restoreKeys('r1'), {
      dir: 'restores/r1/',
      resourceList: 'restores/r1/restore-r1-resource-list.json.gz',
      results: 'restores/r1/restore-r1-results.gz',
      logs: 'restores/r1/restore-r1-logs.gz',
      record: 'restores/r1/kubectl-backup.json',
    });
    assert.equal(recordKey('restore', 'r1'), 'restores/r1/kubectl-backup.json');
    assert.equal(recordKey('backup', 'b1'), 'backups/b1/kubectl-backup.json');
  });

  it('refuses names that are not DNS-1123 subdomains, so no key can escape its directory', () => {
    for (const bad of ['', 'Upper', 'a/b', '..', 'a..b', '-a', 'a-', 'a_b', 'x'.repeat(254), 'a b']) {
      assert.throws(
        () => backupKeys(bad),
        (err: Error & { exitCode?: number }) => err.exitCode === ExitCode.BadInput && err.message.startsWith(`invalid backup name ${JSON.stringify(bad)}`),
        bad,
      );
    }
    assert.throws(() => restoreKeys('A'), /invalid restore name "A"/);
    for (const good of ['a', 'a.b', 'nightly-20240501020000', 'x'.repeat(253)]) assertValidName('backup', good);
  });

  it('reads names back from listed keys, ignoring keys that are not laid out NAME/FILE', () => {
    assert.deepEqual(parseKey('backup', 'backups/b1/kubectl-backup.json'), { name: 'b1', file: 'kubectl-backup.json' });
    assert.deepEqual(parseKey('backup', 'backups/b1/b1.tar.gz'), { name: 'b1', file: 'b1.tar.gz' });
    assert.deepEqual(parseKey('restore', 'restores/r/restore-r-logs.gz'), { name: 'r', file: 'restore-r-logs.gz' });
    for (const key of ['backups/b1', 'backups/b1/', 'backups/b1/x/y', 'backups//x', 'backups/Bad/x', 'restores/r/x', 'other/b1/x']) {
      assert.equal(parseKey('backup', key), undefined, key);
    }
  });

  it('puts the probe under its own directory, outside backups/ and restores/', () => {
    assert.equal(probeKey('20240501-abc'), 'kubectl-backup-check/probe-20240501-abc');
    assert.throws(() => probeKey('../x'), /invalid probe id/);
  });

  it('handles the location prefix', () => {
    assert.equal(normalizePrefix(''), '');
    assert.equal(normalizePrefix('/'), '');
    assert.equal(normalizePrefix('a/b'), 'a/b/');
    assert.equal(normalizePrefix('/a/b//'), 'a/b/');
    assert.equal(prefixedKey('a/b', 'backups/x/y'), 'a/b/backups/x/y');
    assert.equal(prefixedKey('', 'backups/x/y'), 'backups/x/y');
    assert.equal(unprefixedKey('a/b', 'a/b/backups/x'), 'backups/x');
    assert.equal(unprefixedKey('a/b', 'a/bc/backups/x'), undefined);
    assert.equal(unprefixedKey('', 'k'), 'k');
  });

  it('accepts only keys that mean the same object in a bucket and in a directory', () => {
    assertValidKey('backups/x/x.tar.gz');
    for (const [key, why] of [
      ['', 'it is empty'],
      ['/abs', 'it starts with "/"'],
      ['dir/', 'it ends with "/"'],
      ['a//b', 'it contains "//"'],
      ['a/../b', 'it contains a ".." segment'],
      ['./a', 'it contains a "." segment'],
      ['a\\b', 'a NUL or a backslash'],
      ['a\0b', 'a NUL or a backslash'],
      ['k'.repeat(1025), 'longer than 1024 bytes'],
    ]) {
      assert.throws(() => assertValidKey(key as string), (err: Error) => err.message.includes(why as string), key);
    }
  });
});
