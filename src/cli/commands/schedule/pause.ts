import { BaseCommand } from '../../base-command.js';
import { scheduleNamesArg, scheduleSelectionFlags, scheduleSelectionOf } from '../../schedule-flags.js';
import { ScheduleClient } from '../../../schedule/schedule-client.js';
import { selectSchedules } from '../../../schedule/select-schedules.js';
import { setPaused } from '../../../schedule/set-paused.js';

interface SelectionFlags {
  all: boolean;
  selector?: string;
}

/** pause and unpause differ only in the value they write. */
export abstract class PauseCommand extends BaseCommand {
  protected async setPaused(flags: SelectionFlags, argv: unknown[], paused: boolean): Promise<void> {
    const verb = paused ? 'pause' : 'unpause';
    const selection = scheduleSelectionOf(flags, argv, `schedule ${verb}`);
    const { client } = await this.connect();
    const schedules = new ScheduleClient(client, this.toolNamespace);
    const selected = await selectSchedules(schedules, selection, `schedule ${verb}`);
    if (selected.length === 0) process.stderr.write(`No schedules matched in namespace ${this.toolNamespace}.\n`);
    for (const outcome of await setPaused(schedules, selected, paused)) {
      this.print(`schedule "${outcome.name}" ${outcome.changed ? `${verb}d` : `was already ${paused ? 'paused' : 'running'}`}\n`);
    }
  }
}

export default class SchedulePause extends PauseCommand {
  static override summary = 'Pause schedules: no backup is taken until they are unpaused (spec.suspend).';
  static override strict = false;
  static override args = scheduleNamesArg;
  static override examples = ['kubectl backup schedule pause nightly', 'kubectl backup schedule pause --all', 'kubectl backup schedule pause -l team=data'];
  static override flags = scheduleSelectionFlags;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(SchedulePause);
    this.useFlags(flags);
    await this.setPaused(flags, argv, true);
  }
}
