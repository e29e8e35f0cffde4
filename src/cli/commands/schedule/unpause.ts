import { scheduleNamesArg, scheduleSelectionFlags } from '../../schedule-flags.js';
import { PauseCommand } from './pause.js';

export default class ScheduleUnpause extends PauseCommand {
  static override summary = 'Unpause schedules: backups are taken again at the next time their cron gives.';
  static override strict = false;
  static override args = scheduleNamesArg;
  static override examples = ['kubectl backup schedule unpause nightly', 'kubectl backup schedule unpause --all'];
  static override flags = scheduleSelectionFlags;

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ScheduleUnpause);
    this.useFlags(flags);
    await this.setPaused(flags, argv, false);
  }
}
