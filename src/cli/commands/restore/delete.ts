import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { deleteRestore, selectRestores, type RestoreDeletionSources } from '../../../backup-records/delete-restores.js';
import { RestoreObjects } from '../../../cluster-records/restore-objects.js';
import { BadInputError } from '../../../errors.js';
import { requireWritable } from '../../../location/resolve.js';
import { confirmDestructive } from '../../confirm.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

export default class RestoreDelete extends RestoreStorageCommand {
  static override summary = 'Delete restore records (never the restored objects).';
  static override description =
    'Deletes the record and the artifacts (resource list, results, log) of each restore from storage, and its Restore object where the CRDs are installed. ' +
    'A restore that ended without a record (its storage failed) has only its Restore object: that is deleted. Objects the restore created stay in the cluster.';
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
    const sources: RestoreDeletionSources = {
      restores: storage.restores,
      objects: async () => new RestoreObjects((await this.connect()).client, this.toolNamespace),
      location: storage,
      toolNamespace: this.toolNamespace,
      logger: this.logger,
    };
    const deletion = await selectRestores(given, flags.all, sources);
    const { names, objectOnly } = deletion;
    if (names.length === 0) {
      process.stderr.write(`No restores found in ${storage.label}.\n`);
      return;
    }
    const onlyObjects = objectOnly.size > 0 ? ` (${[...objectOnly.keys()].join(', ')}: no record, only the Restore object)` : '';
    const question = `Delete the record${names.length > 1 ? 's' : ''} of restore${names.length > 1 ? 's' : ''} ${names.join(', ')}${onlyObjects}? Restored objects stay in the cluster.`;
    if (!(await confirmDestructive('restore delete', question, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was deleted.\n');
      return;
    }
    for (const name of names) {
      const deleted = await deleteRestore(name, deletion, sources);
      this.print(deleted === 'object only' ? `restore "${name}" deleted (its Restore object only: it had no record in ${storage.label})\n` : `restore "${name}" deleted\n`);
    }
  }
}
