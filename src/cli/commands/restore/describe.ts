import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { writeWithDetails } from '../../../backup-records/details-writer.js';
import { openRestoreResourceList, readRestoreResults } from '../../../restore/restore-artifacts.js';
import { outputFlag } from '../../base-command.js';
import { describeRestore } from '../../../backup-records/restore-description-text.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

export default class RestoreDescribe extends RestoreStorageCommand {
  static override summary = 'Show a restore: what it was asked, items per resource, warnings and errors.';
  static override description =
    'Shows what the restore was asked, its phase and times, items created, updated, skipped and failed per resource, its warnings and errors ' +
    '(from its results artifact, checked against the record) and its artifacts (resource list, results, log) with their sizes and sha256. ' +
    '--details lists every item with what became of it (created, updated, skipped or failed), streamed from the resource list artifact.';
  static override usage = 'NAME [--details] [-o table|json|yaml]';
  static override args = { name: Args.string({ description: 'restore name', required: true }) };
  static override examples = ['kubectl backup restore describe nightly-20240101030000', 'kubectl backup restore describe nightly-20240101030000 --details'];
  static override flags = {
    details: Flags.boolean({ description: 'list every item of the restore and its outcome' }),
    ...storageFlags,
    output: outputFlag,
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(RestoreDescribe);
    this.useFlags(flags);
    const { restores, store } = await this.restoreStorage(flags);
    const record = await restores.require(args.name);
    const results = await readRestoreResults(store, record);
    const format = flags.output ?? 'table';
    const data = { ...record, results: results ?? null };
    if (flags.details) {
      // Records of restores from before restores stored their list still describe.
      const list = (await openRestoreResourceList(store, record)) ?? { unavailable: 'not available: this restore was recorded without a resource list' };
      await writeWithDetails(process.stdout, format, format === 'table' ? describeRestore(record, results) : data, list);
    } else if (format === 'table') this.print(describeRestore(record, results));
    else this.printData(format, data);
  }
}
