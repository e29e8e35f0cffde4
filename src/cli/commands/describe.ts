import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { readResourceList } from '../../backup-records/backup-artifacts.js';
import { describeBackup } from '../../backup-records/backup-description.js';
import { describeAsText } from '../../backup-records/description-text.js';
import { writeWithDetails } from '../../backup-records/details-writer.js';
import { BadInputError, ExitCode } from '../../errors.js';
import { outputFlag } from '../base-command.js';
import { BackupRecordsCommand } from '../backup-records-command.js';
import { storageFlags } from '../storage-command.js';
import { requireDns1123Name } from '../dns-name.js';

export default class Describe extends BackupRecordsCommand {
  static override summary = 'Show a backup in detail: filters, times, counts, warnings, errors, artifacts.';
  static override description =
    'Shows the filters the backup was taken with, its phase, start and end, duration, expiry, items by resource, how many Secrets it holds ' +
    '(never their data), its warnings and errors (from its results artifact, checked against the record) and its artifacts with their sizes and ' +
    'sha256. --details lists every item, streamed from the resource list artifact.';
  static override usage = 'NAME [--details] [-o table|json|yaml]';
  static override args = { name: Args.string({ description: 'backup name', required: true }) };
  static override examples = ['kubectl backup describe nightly-20240101030000', 'kubectl backup describe nightly-20240101030000 --details -o json'];
  static override flags = {
    details: Flags.boolean({ description: 'list every item of the backup' }),
    output: outputFlag,
    ...storageFlags,
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Describe);
    this.useFlags(flags);
    const name = requireDns1123Name('backup', args.name);
    const { catalog, location } = await this.openBackups(flags);
    const entry = await catalog.require(name);
    const description = await describeBackup(location.store, entry);
    const format = flags.output ?? 'table';

    if (flags.details) {
      if (entry.source !== 'storage') throw new BadInputError(`backup "${name}" has no data in storage (${description.phase}): --details lists the items of a finished backup`);
      const head = format === 'table' ? describeAsText(description) : description;
      await writeWithDetails(process.stdout, format, head, readResourceList(location.store, entry.record));
    } else if (format === 'table') this.print(describeAsText(description));
    else this.printData(format, description);

    // The messages were not shown because the results artifact failed its check: not a success.
    if (description.resultsProblem) {
      process.stderr.write(`Error: the warnings and errors of backup "${name}" cannot be shown: ${description.resultsProblem}\n`);
      this.setExitCode(ExitCode.BadInput);
    }
  }
}
