import * as Args from '@oclif/core/args';
import { BadInputError } from '../../../errors.js';
import { openRestoreLog } from '../../../restore/restore-artifacts.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

export default class RestoreLogs extends RestoreStorageCommand {
  static override summary = "Print a restore's log (one JSON object a line).";
  static override description = 'The log is streamed as it is read; its size and sha256 are checked against the record, and a mismatch ends the command with an error.';
  static override args = { name: Args.string({ description: 'restore name', required: true }) };
  static override examples = ['kubectl backup restore logs nightly-20240101030000'];
  static override flags = { ...storageFlags };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(RestoreLogs);
    this.useFlags(flags);
    const { restores, store } = await this.restoreStorage(flags);
    const record = await restores.require(args.name);
    const log = await openRestoreLog(store, record);
    if (!log) throw new BadInputError(`restore "${args.name}" has no log in its record`);
    await this.printStream(log);
  }
}
