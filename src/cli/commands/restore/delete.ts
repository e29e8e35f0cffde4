import { Args, Flags } from '@oclif/core';
import { BadInputError, errorMessage } from '../../../errors.js';
import { deleteRestoreObject } from '../../../cluster-records/restore-objects.js';
import { requireWritable } from '../../../location/resolve.js';
import { confirmDestructive } from '../../confirm.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

export default class RestoreDelete extends RestoreStorageCommand {
  static override summary = 'Delete restore records (never the restored objects).';
  static override description = 'Deletes the record and the artifacts (resource list, results, log) of each restore from storage, and its Restore object where the CRDs are installed. Objects the restore created stay in the cluster.';
  static override strict = false;
  static override args = { names: Args.string({ description: 'restore names', required: false }) };
  static override examples = ['kubectl backup restore delete nightly-20240101030000 --confirm', 'kubectl backup restore delete --all --confirm'];
  static override flags = {
    all: Flags.boolean({ description: 'delete every restore record' }),
    confirm: Flags.boolean({ description: 'do not ask; required when not on a terminal' }),
    ...storageFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(RestoreDelete);
    this.useFlags(flags);
    const given = argv.map(String);
    if (given.length > 0 && flags.all) throw new BadInputError('restore delete takes restore names or --all, not both');
    if (given.length === 0 && !flags.all) throw new BadInputError('restore delete needs restore names or --all');
    const storage = await this.restoreStorage(flags);
    requireWritable(storage, 'restore delete');
    const { restores, label } = storage;
    const names = flags.all ? await restores.names() : given;
    for (const name of given) await restores.require(name);
    if (names.length === 0) {
      process.stderr.write(`No restores found in ${label}.\n`);
      return;
    }
    const question = `Delete the record${names.length > 1 ? 's' : ''} of restore${names.length > 1 ? 's' : ''} ${names.join(', ')}? Restored objects stay in the cluster.`;
    if (!(await confirmDestructive('restore delete', question, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was deleted.\n');
      return;
    }
    for (const name of names) {
      await restores.delete(name);
      await this.deleteMirror(name);
      this.print(`restore "${name}" deleted\n`);
    }
  }

  /** The cluster's mirror of the record, where there is one; without a cluster or CRDs, nothing to do. */
  private async deleteMirror(name: string): Promise<void> {
    try {
      await deleteRestoreObject((await this.connect()).client, this.toolNamespace, name);
    } catch (err) {
      this.logger.log('debug', 'no Restore object deleted', { restore: name, reason: errorMessage(err) });
    }
  }
}
