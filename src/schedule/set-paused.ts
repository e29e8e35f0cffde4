import type { KubeObject } from '../kube/types.js';
import type { ScheduleClient } from './schedule-client.js';

export interface PauseOutcome {
  name: string;
  /** False when the schedule already was in that state: nothing was written. */
  changed: boolean;
}

/** Sets `spec.suspend` with a merge patch: only that field changes. */
export async function setPaused(schedules: ScheduleClient, cronJobs: readonly KubeObject[], paused: boolean): Promise<PauseOutcome[]> {
  const outcomes: PauseOutcome[] = [];
  for (const cronJob of cronJobs) {
    const name = cronJob.metadata.name ?? '';
    const current = (cronJob.spec as { suspend?: boolean } | undefined)?.suspend === true;
    if (current === paused) outcomes.push({ name, changed: false });
    else {
      await schedules.setSuspend(name, paused);
      outcomes.push({ name, changed: true });
    }
  }
  return outcomes;
}
