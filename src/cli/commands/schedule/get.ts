import { BaseCommand, outputFlag } from '../../base-command.js';
import { formatAge, type Column } from '../../output.js';
import { isoInZone, scheduleNamesArg, scheduleSelectionFlags, scheduleSelectionOf } from '../../schedule-flags.js';
import { ScheduleClient } from '../../../schedule/schedule-client.js';
import { scheduleView, type ScheduleView } from '../../../schedule/schedule-view.js';
import { selectSchedules } from '../../../schedule/select-schedules.js';

export const scheduleColumns = (now: Date): Column<ScheduleView>[] => [
  { header: 'Name', value: (s) => s.name },
  { header: 'Schedule', value: (s) => s.schedule },
  { header: 'Time Zone', value: (s) => s.timeZone ?? '<controller>' },
  { header: 'Paused', value: (s) => String(s.paused) },
  { header: 'Last Run', value: (s) => (s.lastSchedule ? `${formatAge(s.lastSchedule, now)} ago` : 'never') },
  { header: 'Next Run', value: (s) => (s.paused ? '<paused>' : (isoInZone(s.nextRuns[0], s.timeZone) || '<none>')) },
  { header: 'Location', value: (s) => s.template?.storageLocation ?? '' },
  { header: 'TTL', value: (s) => s.template?.ttl ?? '' },
];

export default class ScheduleGet extends BaseCommand {
  static override summary = 'List schedules: cron, time zone, paused, last and next run.';
  static override strict = false;
  static override args = scheduleNamesArg;
  static override examples = ['kubectl backup schedule get', 'kubectl backup schedule get nightly -o yaml', 'kubectl backup schedule get -l team=data'];
  static override flags = { ...scheduleSelectionFlags, output: outputFlag };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(ScheduleGet);
    this.useFlags(flags);
    const selection = scheduleSelectionOf(flags, argv, 'schedule get', true);
    const { client } = await this.connect();
    const schedules = new ScheduleClient(client, this.toolNamespace);
    const selected = await selectSchedules(schedules, selection, 'schedule get', true);
    const now = new Date();
    const views = selected.map((cj) => scheduleView(cj, now));
    if (views.length === 0 && flags.output !== 'json' && flags.output !== 'yaml') {
      process.stderr.write(`No schedules found in namespace ${this.toolNamespace}.\n`);
      return;
    }
    this.render(flags.output, views, scheduleColumns(now), views);
  }
}
