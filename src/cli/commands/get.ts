import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { backupColumns } from '../../backup-records/backup-table.js';
import { entryDocument, entryLabels, type BackupEntry } from '../../backup-records/backup-entry.js';
import { printableLine } from '../../backup-records/printable.js';
import { BadInputError } from '../../errors.js';
import { parseLabelSelector } from '../../kube/label-selector.js';
import { requireDns1123Name } from '../dns-name.js';
import { outputFlag } from '../base-command.js';
import { kubeList } from '../output.js';
import { BackupRecordsCommand } from '../backup-records-command.js';
import { storageFlags } from '../storage-command.js';

export default class Get extends BackupRecordsCommand {
  static override summary = 'List backups: their records in storage, and the backups still running.';
  static override description =
    'Storage is the source of truth: every backup with a record in the storage location is listed. Where the CRDs are installed, ' +
    'backups that have no record yet (running, or ended Failed) are added from their Backup objects.';
  static override usage = '[NAME...] [-l SELECTOR] [-o table|json|yaml]';
  static override strict = false;
  static override args = { names: Args.string({ description: 'backup names (default: all)', required: false }) };
  static override examples = ['kubectl backup get', 'kubectl backup get nightly-20240101030000 -o yaml', 'kubectl backup get -l team=data --storage-location primary'];
  static override flags = {
    selector: Flags.string({ char: 'l', description: 'only backups whose labels match this selector (k=v, k!=v, k in (a,b), ...)' }),
    output: outputFlag,
    ...storageFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Get);
    this.useFlags(flags);
    const names = argv.map(String);
    if (names.length > 0 && flags.selector !== undefined) throw new BadInputError('give backup names or -l SELECTOR, not both');
    for (const name of names) requireDns1123Name('backup', name);
    const selector = flags.selector === undefined ? undefined : parseLabelSelector(flags.selector, 'selector');

    const { catalog, location } = await this.openBackups(flags);
    let entries: BackupEntry[];
    let veleroOnly: string[] = [];
    if (names.length > 0) {
      entries = [];
      for (const name of names) entries.push(await catalog.require(name));
    } else {
      const listing = await catalog.list();
      for (const { name, error } of listing.unreadable) this.logger.log('warn', 'backup record cannot be read: it is not listed (kubectl backup delete NAME removes it)', { backup: name, error: error.message });
      entries = selector ? listing.backups.filter((entry) => selector(entryLabels(entry))) : listing.backups;
      if (!selector) veleroOnly = listing.veleroOnly;
    }

    if (flags.output === 'json' || flags.output === 'yaml') {
      const documents = entries.map(entryDocument);
      this.printData(flags.output, names.length === 1 ? documents[0] : kubeList(documents));
    } else if (entries.length === 0) {
      process.stderr.write(`No backups found in ${location.label}${selector ? ` matching -l ${flags.selector}` : ''}.\n`);
    } else {
      this.render('table', entries, backupColumns(new Date()));
    }
    // On stderr, so that -o json|yaml stays one document; a Velero user learns why theirs are missing.
    if (veleroOnly.length > 0) process.stderr.write(`${veleroNote(veleroOnly)}\n`);
  }
}

/** Names up to a few, then how many more. */
function veleroNote(names: readonly string[]): string {
  const shown = names.slice(0, 5).map(printableLine).join(', ');
  const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
  return `Not listed: ${names.length} Velero backup${names.length === 1 ? '' : 's'} (${shown}${more}); kubectl-backup reads only backups with its own record.`;
}
