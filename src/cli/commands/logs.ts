import * as Args from '@oclif/core/args';
import { openBackupLog } from '../../backup-records/backup-artifacts.js';
import { BadInputError } from '../../errors.js';
import { BackupRecordsCommand } from '../backup-records-command.js';
import { storageFlags } from '../storage-command.js';
import { requireDns1123Name } from '../dns-name.js';

export default class Logs extends BackupRecordsCommand {
  static override summary = "Print a backup's log (one JSON object a line).";
  static override description =
    'The log artifact is gunzipped and streamed to stdout as it is read; its size and sha256 are checked against the record as it passes, ' +
    'and a mismatch ends the command with an error naming the artifact.';
  static override usage = 'NAME';
  static override args = { name: Args.string({ description: 'backup name', required: true }) };
  static override examples = ['kubectl backup logs nightly-20240101030000', 'kubectl backup logs nightly-20240101030000 | jq -r \'select(.level=="warn") | .msg\''];
  static override flags = { ...storageFlags };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Logs);
    this.useFlags(flags);
    const name = requireDns1123Name('backup', args.name);
    const { catalog, location } = await this.openBackups(flags);
    const record = await catalog.requireRecord(name);
    const log = await openBackupLog(location.store, record);
    if (!log) throw new BadInputError(`backup "${name}" has no log in its record`);
    await this.printStream(log);
  }
}
