import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { checkScheduleSelection, type ScheduleSelection } from '../schedule/select-schedules.js';

/** NAME..., --all, -l: how schedule get/describe/pause/unpause/delete pick schedules. */
export const scheduleSelectionFlags = {
  all: Flags.boolean({ description: 'every schedule in the namespace' }),
  selector: Flags.string({ char: 'l', description: 'schedules whose labels match this selector' }),
};

export const scheduleNamesArg = { names: Args.string({ description: 'schedule names', required: false }) };

/** The selection the command line asks for, checked (bad input throws) before anything connects. */
export function scheduleSelectionOf(flags: { all: boolean; selector?: string | undefined }, argv: readonly unknown[], command: string, noneMeansAll = false): ScheduleSelection {
  return checkScheduleSelection({ names: argv.map(String), all: flags.all, ...(flags.selector !== undefined ? { selector: flags.selector } : {}) }, command, noneMeansAll);
}

/** Time in the schedule's own zone, with its offset: what the controller will read on its clock. */
export function isoInZone(iso: string | undefined, timeZone: string | undefined): string {
  if (iso === undefined) return '';
  const date = new Date(iso);
  const zone = timeZone ?? 'UTC';
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const raw = String(parts.timeZoneName).replace('GMT', '');
  const offset = raw === '' || raw === '+00:00' ? 'Z' : raw;
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}
