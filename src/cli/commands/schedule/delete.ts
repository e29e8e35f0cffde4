import * as Flags from '@oclif/core/flags';
import { BaseCommand } from '../../base-command.js';
import { confirmDestructive } from '../../confirm.js';
import { scheduleNamesArg, scheduleSelectionFlags, scheduleSelectionOf } from '../../schedule-flags.js';
import { ScheduleClient } from '../../../schedule/schedule-client.js';
import { selectSchedules } from '../../../schedule/select-schedules.js';

export default class ScheduleDelete extends BaseCommand {
  static override summary = 'Delete schedules (their CronJobs). Their backups are kept.';
  static override description =
    'Deletes the CronJob of each schedule and its Jobs. Backup data is never deleted: backups in storage stay until they expire (kubectl backup gc) or are deleted with kubectl backup delete. ' +
    "Backup objects of a schedule created with --use-owner-references-in-backup are removed by Kubernetes' garbage collector; kubectl backup sync brings them back from storage.";
  static override strict = false;
  static override args = scheduleNamesArg;
  static override examples = ['kubectl backup schedule delete nightly --confirm', 'kubectl backup schedule delete --all --confirm', 'kubectl backup schedule delete -l team=data'];
  static override flags = {
    ...scheduleSelectionFlags,
    confirm: Flags.boolean({ description: 'do not ask; required when not on a terminal' }),
  };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ScheduleDelete);
    this.useFlags(flags);
    const selection = scheduleSelectionOf(flags, argv, 'schedule delete');
    const { client } = await this.connect();
    const schedules = new ScheduleClient(client, this.toolNamespace);
    const selected = await selectSchedules(schedules, selection, 'schedule delete');
    if (selected.length === 0) {
      process.stderr.write(`No schedules matched in namespace ${this.toolNamespace}.\n`);
      return;
    }
    const names = selected.map((cj) => cj.metadata.name ?? '');
    const question = `Delete schedule${names.length > 1 ? 's' : ''} ${names.join(', ')}? Their backups are kept.`;
    if (!(await confirmDestructive('schedule delete', question, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was deleted.\n');
      return;
    }
    for (const name of names) {
      const deleted = await schedules.delete(name);
      this.print(`schedule "${name}" ${deleted ? 'deleted' : 'was already gone'} (its backups are kept)\n`);
    }
  }
}
