import assert from 'node:assert/strict';
import { CliError, ExitCode } from '../../src/errors.js';
import { readBackup } from '../builders/backup-artifacts.js';
import { configMap, namespace } from '../builders/backup-objects.js';
import { backupRequest, runBackup } from '../builders/backup-run.js';
import { startBackupTestbed, type BackupTestbed } from '../builders/backup-testbed.js';

/**
 * A user whose rights end at their own namespaces (a RoleBinding of `admin` there): the API
 * server refuses them every cluster-wide read, the namespaces and CRDs included.
 */
describe('backup by a user who may not list namespaces', function () {
  this.timeout(60_000);
  let bed: BackupTestbed;

  before(async () => {
    bed = await startBackupTestbed('s', 'backup-scoped-');
    await bed.server.seed([namespace('team-a'), namespace('team-b'), configMap('team-a', 'settings', { app: 'web' }), configMap('team-b', 'other')]);
    for (const path of ['^/api/v1/namespaces$', '^/apis/apiextensions.k8s.io/v1/customresourcedefinitions$', '^/api/v1/configmaps$']) {
      bed.server.faults.add({ method: 'GET', path, status: 403, times: 0 });
    }
  });
  after(() => bed.close());

  it('backs up the namespaces it names, each listed on its own, and says what it could not read', async () => {
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeNamespaces: ['team-a'], includeResources: ['configmaps', 'namespaces'], labelSelector: 'app=web' }), bed.deps);
    const { entries, results } = await readBackup(bed.store, name);
    assert.ok(entries.includes('resources/configmaps/namespaces/team-a/settings.json'), entries.join('\n'));
    assert.ok(!entries.some((e) => e.includes('team-b')));
    assert.match(results.warnings.cluster.join('\n'), /cannot list the namespaces \(forbidden\): the namespaces --include-namespaces names are taken as they are/);
    // The Namespace object itself is a cluster-wide read: an error of the backup, not a silent gap.
    assert.equal(outcome.phase, 'PartiallyFailed');
    assert.match(JSON.stringify(results.errors), /namespaces team-a/);
  });

  it('refuses a malformed selector all the same, checking it itself (exit 2)', async () => {
    await assert.rejects(runBackup(backupRequest(bed.nextName(), { includeNamespaces: ['team-a'], labelSelector: 'app in (web' }), bed.deps), (err: unknown) => err instanceof CliError && err.exitCode === ExitCode.BadInput && /invalid --selector "app in \(web"/.test(err.message));
  });

  it('fails (exit 1) with what to do when the namespaces are given by globs', async () => {
    await assert.rejects(runBackup(backupRequest(bed.nextName(), { includeNamespaces: ['team-*'] }), bed.deps), (err: unknown) => err instanceof CliError && err.exitCode === ExitCode.Failed && /cannot list the namespaces of .* \(forbidden\): name the namespaces to back up in --include-namespaces, without globs/.test(err.message));
  });
});
