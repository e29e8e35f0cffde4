import { BadInputError } from '../errors.js';
import type { KubeObject } from '../kube/types.js';
import { parseLabelSelector } from '../kube/label-selector.js';
import { ScheduleNotFoundError, type ScheduleClient } from './schedule-client.js';
import { requireScheduleName } from './schedule-name.js';

export interface ScheduleSelection {
  names: readonly string[];
  all: boolean;
  selector?: string;
}

/**
 * NAME..., --all or -l, exactly one of them (`get` also takes none: every schedule). Checked
 * before connecting, so that a mistake is told as one (exit 2) even with no cluster in reach.
 */
export function checkScheduleSelection(selection: ScheduleSelection, command: string, noneMeansAll = false): ScheduleSelection {
  const ways = [selection.names.length > 0, selection.all, selection.selector !== undefined].filter(Boolean).length;
  if (ways > 1) throw new BadInputError(`${command}: give schedule names, --all or --selector, not several of them`);
  if (ways === 0 && !noneMeansAll) throw new BadInputError(`${command}: give schedule names, --all or --selector (-l)`);
  if (selection.selector !== undefined && selection.selector.trim() === '') throw new BadInputError(`${command}: --selector (-l) is empty`);
  // Said here as bad input (exit 2), rather than as the API server's 400 on the LIST.
  if (selection.selector !== undefined) parseLabelSelector(selection.selector, 'selector');
  for (const name of selection.names) requireScheduleName(name);
  return selection;
}

/** The schedules `selection` picks. Every name must exist: a typo stops the command before it changes anything. */
export async function selectSchedules(schedules: ScheduleClient, selection: ScheduleSelection, command: string, noneMeansAll = false): Promise<KubeObject[]> {
  checkScheduleSelection(selection, command, noneMeansAll);
  if (selection.names.length === 0) return schedules.list(selection.selector);
  const unique = [...new Set(selection.names)];
  const found = await Promise.all(unique.map(async (name) => ({ name, cronJob: await schedules.get(name) })));
  const missing = found.find((f) => !f.cronJob);
  if (missing) throw new ScheduleNotFoundError(missing.name, schedules.namespace);
  return found.map((f) => f.cronJob!);
}
