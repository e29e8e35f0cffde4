import * as Flags from '@oclif/core/flags';
import { CliError, OperationError, errorMessage } from '../../errors.js';
import { uninstall } from '../../install/uninstall.js';
import { BaseCommand } from '../base-command.js';
import { confirmDestructive } from '../confirm.js';

export default class Uninstall extends BaseCommand {
  static override summary = 'Remove what install applied, and the schedules. Never deletes backup data.';
  static override description =
    'Deletes the schedules (CronJobs), the runner ServiceAccount and its RBAC, the settings ConfigMap, the credential Secrets made by location create, ' +
    'the CRDs (unless another tool namespace still uses them; this deletes the Backup, Restore and BackupStorageLocation objects, never the data in storage) ' +
    'and the namespace if install created it. Asks for confirmation on a terminal; needs --confirm otherwise.';
  static override examples = ['kubectl backup uninstall', 'kubectl backup uninstall --confirm'];
  static override flags = {
    confirm: Flags.boolean({ description: 'do not ask; required when not on a terminal' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Uninstall);
    this.useFlags(flags);
    const namespace = this.toolNamespace;
    // The namespace goes with everything in it, Secrets a user put there for locations included.
    const question = `Uninstall kubectl-backup from namespace ${namespace}? Schedules and in-cluster records are deleted, and the namespace with all it holds if install created it; backup data in storage is kept.`;
    if (!(await confirmDestructive('uninstall', question, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was changed.\n');
      return;
    }
    const { client } = await this.connect();
    let removed;
    try {
      removed = await uninstall(client, namespace);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new OperationError(`uninstall failed: ${errorMessage(err)}`, { cause: err });
    }
    for (const r of removed) this.print(`${r.ref} ${r.outcome}${r.reason ? ` (${r.reason})` : ''}\n`);
    this.print('kubectl-backup is uninstalled; backup data in storage was not touched\n');
  }
}
