import { Args, Flags } from '@oclif/core';
import { BadInputError, errorMessage } from '../../../errors.js';
import { deleteRestoreObject, restoreEnded, RestoreObjects, type RestoreObjectView } from '../../../cluster-records/restore-objects.js';
import { requireWritable, type ResolvedLocation } from '../../../location/resolve.js';
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
    const { restores, label } = storage;
    const names = flags.all ? await restores.names() : given;
    // Restores named that have no record, only an object: a run that could not write its record.
    const objectOnly = new Map<string, RestoreObjectView>();
    for (const name of given) {
      if (await restores.exists(name)) {
        await restores.require(name);
        continue;
      }
      const object = await this.objectWithoutRecord(name, storage);
      if (!object) await restores.require(name);
      else objectOnly.set(name, object);
    }
    if (names.length === 0) {
      process.stderr.write(`No restores found in ${label}.\n`);
      return;
    }
    const onlyObjects = objectOnly.size > 0 ? ` (${[...objectOnly.keys()].join(', ')}: no record, only the Restore object)` : '';
    const question = `Delete the record${names.length > 1 ? 's' : ''} of restore${names.length > 1 ? 's' : ''} ${names.join(', ')}${onlyObjects}? Restored objects stay in the cluster.`;
    if (!(await confirmDestructive('restore delete', question, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was deleted.\n');
      return;
    }
    for (const name of names) {
      const object = objectOnly.get(name);
      if (object) {
        await new RestoreObjects((await this.connect()).client, this.toolNamespace).delete(name, object.uid);
        this.print(`restore "${name}" deleted (its Restore object only: it had no record in ${label})\n`);
        continue;
      }
      await restores.delete(name);
      await this.deleteMirror(name);
      this.print(`restore "${name}" deleted\n`);
    }
  }

  /**
   * The Restore object of a restore that has no record in this location, when there is one.
   * One of another location mirrors a restore there; one still InProgress may be running
   * (restore objects have no heartbeat): refused, with the way out for a run that was killed.
   */
  private async objectWithoutRecord(name: string, location: ResolvedLocation): Promise<RestoreObjectView | undefined> {
    let object: RestoreObjectView | undefined;
    try {
      const objects = new RestoreObjects((await this.connect()).client, this.toolNamespace);
      object = (await objects.available()) ? await objects.ofLocation(name, location.reference) : undefined;
    } catch (err) {
      this.logger.log('debug', 'no Restore object read', { restore: name, reason: errorMessage(err) });
      return undefined;
    }
    if (!object) return undefined;
    if (!restoreEnded(object)) {
      throw new BadInputError(
        `restore "${name}" has no record in ${location.label} and its Restore object is ${object.phase ?? 'New'}: it may still be running; if its run was killed, delete the object with: kubectl delete restore ${name} -n ${this.toolNamespace}`,
      );
    }
    return object;
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
