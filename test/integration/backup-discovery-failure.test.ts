import assert from 'node:assert/strict';
import { readBackup } from '../builders/backup-artifacts.js';
import { configMap, crd, customResource, namespace } from '../builders/backup-objects.js';
import { backupRequest, runBackup } from '../builders/backup-run.js';
import { startBackupTestbed, type BackupTestbed } from '../builders/backup-testbed.js';

/**
 * A server without aggregated discovery, one of whose group versions does not answer (an
 * aggregated API server that is down): the backup goes on with the rest, as kubectl and Velero
 * do, and says what it could not know.
 */
describe('backup: a group version whose discovery fails', function () {
  this.timeout(60_000);
  let bed: BackupTestbed;

  before(async () => {
    bed = await startBackupTestbed('d', 'backup-discovery-', { aggregatedDiscovery: false });
    await bed.server.seed([crd('gadgets', 'Gadget'), namespace('app'), configMap('app', 'settings'), customResource('Gadget', 'g1', 'app')]);
    bed.server.faults.add({ method: 'GET', path: '^/apis/example.com/v2$', status: 503, times: 0 });
  });
  after(() => bed.close());

  it('a backup of named resources found elsewhere completes, with a warning', async () => {
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name, { includeResources: ['configmaps'] }), bed.deps);
    assert.equal(outcome.phase, 'Completed');
    const { entries, results } = await readBackup(bed.store, name);
    assert.ok(entries.includes('resources/configmaps/namespaces/app/settings.json'), entries.join('\n'));
    assert.match(results.warnings.cluster.join('\n'), /cannot read the API discovery of example\.com\/v2 \(.*503.*\): every resource of --include-resources was found elsewhere/);
  });

  it('a backup of everything is PartiallyFailed, naming the group version, and takes the rest', async () => {
    const name = bed.nextName();
    const outcome = await runBackup(backupRequest(name), bed.deps);
    assert.equal(outcome.phase, 'PartiallyFailed');
    const { entries, results } = await readBackup(bed.store, name);
    assert.ok(entries.includes('resources/configmaps/namespaces/app/settings.json'), entries.join('\n'));
    assert.match(results.errors.cluster.join('\n'), /cannot read the API discovery of example\.com\/v2 \(.*503.*\): what it serves may be missing from this backup/);
  });
});
