import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BackupDeleter, type DeleteDeps, type DeleteOutcome } from '../../backup-records/delete-backups.js';
import { selectDeleteTargets, type DeleteSelection } from '../../backup-records/delete-selection.js';
import { RestoreObjects } from '../../cluster-records/restore-objects.js';
import { BadInputError, ExitCode } from '../../errors.js';
import { parseLabelSelector } from '../../kube/label-selector.js';
import { requireWritable } from '../../location/resolve.js';
import { confirmDestructive } from '../confirm.js';
import { BackupRecordsCommand } from '../backup-records-command.js';
import { storageFlags } from '../storage-command.js';
import { requireDns1123Name } from '../dns-name.js';

export default class Delete extends BackupRecordsCommand {
  static override summary = 'Delete backups: their data in storage, their Backup objects, and the records of restores made from them.';
  static override description =
    'For each backup: its record first (the backup disappears at once), then its artifacts, its Backup object where the CRDs are installed, ' +
    'and the records of the restores made from it. A backup its storage keeps under object lock retention is reported with the date from ' +
    'which it can be deleted, and nothing of it is removed (exit code 1). A ReadOnly location refuses, removing nothing (exit code 2). Asks for confirmation on a terminal; --confirm is required otherwise. ' +
    '(kubectl delete backup NAME removes only the Backup object; the data stays in storage.)';
  static override usage = '(NAME... | --all | -l SELECTOR) [--confirm]';
  static override strict = false;
  static override args = { names: Args.string({ description: 'backup names', required: false }) };
  static override examples = ['kubectl backup delete nightly-20240101030000 --confirm', 'kubectl backup delete -l team=data', 'kubectl backup delete --all --confirm --storage-location old'];
  static override flags = {
    all: Flags.boolean({ description: 'delete every backup of the location' }),
    selector: Flags.string({ char: 'l', description: 'delete the backups whose labels match this selector' }),
    confirm: Flags.boolean({ description: 'do not ask; required when not on a terminal' }),
    ...storageFlags,
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(Delete);
    this.useFlags(flags);
    const selection = parseSelection(argv.map(String), flags.all, flags.selector);
    const { catalog, backups, restores, location, objects, client } = await this.openBackups(flags);
    requireWritable(location, 'backup delete');
    const targets = await selectDeleteTargets(selection, { catalog, backups, logger: this.logger });
    if (targets.length === 0) {
      process.stderr.write(`No backups to delete in ${location.label}.\n`);
      return;
    }
    const names = targets.map((t) => t.name);
    const question = `Delete ${names.length === 1 ? `backup ${names[0]}` : `${names.length} backups (${names.join(', ')})`} from ${location.label}, with the records of restores made from ${names.length === 1 ? 'it' : 'them'}?`;
    if (!(await confirmDestructive('backup delete', question, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was deleted.\n');
      return;
    }
    const deleter = new BackupDeleter({
      backups,
      restores,
      ...(objects ? { objects } : {}),
      ...(client ? this.restoreObjects(new RestoreObjects(client, this.toolNamespace), location.reference) : {}),
      logger: this.logger,
    });
    const outcomes = await deleter.delete(targets, (outcome) => this.report(outcome));
    if (outcomes.some((o) => o.result !== 'deleted')) this.setExitCode(ExitCode.Failed);
  }

  /** The Restore objects of the backups' restores in this location, records or not. */
  private restoreObjects(objects: RestoreObjects, locationReference: string): Pick<DeleteDeps, 'deleteRestoreObject' | 'restoreObjectsOf'> {
    return { deleteRestoreObject: (name, uid) => objects.delete(name, uid), restoreObjectsOf: (backupName) => objects.madeFrom(backupName, locationReference) };
  }

  private report(outcome: DeleteOutcome): void {
    if (outcome.result === 'deleted') {
      const parts = [`${outcome.removed.length} object${outcome.removed.length === 1 ? '' : 's'} removed from storage`];
      if (outcome.backupObjectDeleted) parts.push('its Backup object');
      if (outcome.restores.length > 0) parts.push(`the records of restore${outcome.restores.length === 1 ? '' : 's'} ${outcome.restores.join(', ')}`);
      if (outcome.restoreObjects.length > 0) parts.push(`the Restore object${outcome.restoreObjects.length === 1 ? '' : 's'} of ${outcome.restoreObjects.join(', ')}, which had no record`);
      this.print(`backup "${outcome.name}" deleted (${parts.join('; ')})\n`);
    } else {
      process.stderr.write(`Error: ${outcome.result === 'locked' ? outcome.message : `backup "${outcome.name}" could not be deleted: ${outcome.message}`}\n`);
    }
    for (const warning of outcome.warnings) this.logger.log('warn', `backup "${outcome.name}" is deleted, but ${warning}`);
  }
}

function parseSelection(names: string[], all: boolean, selector: string | undefined): DeleteSelection {
  const given = [names.length > 0, all, selector !== undefined].filter(Boolean).length;
  if (given === 0) throw new BadInputError('backup delete needs backup names, --all or -l SELECTOR');
  if (given > 1) throw new BadInputError('backup delete takes backup names, --all or -l SELECTOR: only one of them');
  if (all) return { all: true };
  if (selector !== undefined) return { selector: parseLabelSelector(selector, 'selector') };
  return { names: names.map((name) => requireDns1123Name('backup', name)) };
}
