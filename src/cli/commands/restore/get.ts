import * as Args from '@oclif/core/args';
import { formatCreated } from '../../../backup-records/backup-table.js';
import type { RestoreRecord } from '../../../storage/restore-record.js';
import { outputFlag } from '../../base-command.js';
import { formatAge, kubeList, type Column } from '../../output.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

/** Velero's `restore get` columns; times as backup `get` prints them (Go's time.String in UTC). */
export const restoreColumns = (now: Date): Column<RestoreRecord>[] => [
  { header: 'Name', value: (r) => r.metadata.name },
  { header: 'Backup', value: (r) => r.spec.backupName },
  { header: 'Status', value: (r) => r.status.phase },
  { header: 'Started', value: (r) => formatCreated(r.status.startTimestamp) },
  { header: 'Completed', value: (r) => formatCreated(r.status.completionTimestamp) },
  { header: 'Created', value: (r) => r.status.counts.created },
  { header: 'Updated', value: (r) => r.status.counts.updated },
  { header: 'Skipped', value: (r) => r.status.counts.skipped },
  { header: 'Failed', value: (r) => r.status.counts.failed },
  { header: 'Errors', value: (r) => r.status.errors },
  { header: 'Warnings', value: (r) => r.status.warnings },
  { header: 'Age', value: (r) => formatAge(r.status.startTimestamp, now) },
];

export default class RestoreGet extends RestoreStorageCommand {
  static override summary = 'List restores, as their records in storage say.';
  static override strict = false;
  static override args = { names: Args.string({ description: 'restore names (default: all)', required: false }) };
  static override examples = ['kubectl backup restore get', 'kubectl backup restore get nightly-20240101030000 -o yaml'];
  static override flags = { ...storageFlags, output: outputFlag };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(RestoreGet);
    this.useFlags(flags);
    const { restores, label } = await this.restoreStorage(flags);
    const names = argv.map(String);
    let records: RestoreRecord[];
    if (names.length > 0) {
      records = [];
      for (const name of names) records.push(await restores.require(name));
    } else {
      const listing = await restores.list();
      for (const { name, error } of listing.unreadable) this.logger.log('warn', 'restore record cannot be read', { restore: name, error: error.message });
      records = listing.records.sort((a, b) => Date.parse(b.status.startTimestamp) - Date.parse(a.status.startTimestamp));
    }
    if (records.length === 0 && flags.output !== 'json' && flags.output !== 'yaml') {
      process.stderr.write(`No restores found in ${label}.\n`);
      return;
    }
    this.render(flags.output, records, restoreColumns(new Date()), names.length === 1 ? records[0] : kubeList(records));
  }
}
