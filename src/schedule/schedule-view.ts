import type { KubeObject } from '../kube/types.js';
import { parseTemplate, templateAnnotation, type BackupTemplate } from './backup-template.js';
import { parseCron } from './cron.js';
import { nextRuns } from './next-runs.js';
import { containerName } from './cronjob-manifest.js';

/** A schedule as `get` and `describe` show it, read from its CronJob. */
export interface ScheduleView {
  name: string;
  schedule: string;
  /** Unset: the controller's time zone (UTC on most clusters); next runs are computed in UTC. */
  timeZone?: string;
  paused: boolean;
  /** When the controller last started a run (status.lastScheduleTime). */
  lastSchedule?: string;
  lastSuccessful?: string;
  /** Empty when paused or when the schedule never runs. */
  nextRuns: string[];
  image?: string;
  template?: BackupTemplate;
  /** Why the template annotation could not be read (it was edited by hand). */
  templateProblem?: string;
  activeJobs: number;
  created?: string;
  labels: Record<string, string>;
}

interface CronJobShape {
  spec?: {
    schedule?: string;
    timeZone?: string;
    suspend?: boolean;
    jobTemplate?: { spec?: { template?: { spec?: { containers?: { name?: string; image?: string }[] } } } };
  };
  status?: { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: unknown[] };
}

export function scheduleView(cronJob: KubeObject, now: Date, count = 1): ScheduleView {
  const { spec = {}, status = {} } = cronJob as KubeObject & CronJobShape;
  const name = cronJob.metadata.name ?? '';
  const paused = spec.suspend === true;
  let runs: Date[] = [];
  if (!paused && spec.schedule) {
    try {
      runs = nextRuns(parseCron(spec.schedule, 'spec.schedule'), spec.timeZone, now, count);
    } catch {
      // A schedule edited by hand into something we do not read: shown, without next runs.
    }
  }
  let template: BackupTemplate | undefined;
  let templateProblem: string | undefined;
  try {
    template = parseTemplate(cronJob.metadata.annotations?.[templateAnnotation], name);
  } catch (err) {
    templateProblem = (err as Error).message;
  }
  const containers = spec.jobTemplate?.spec?.template?.spec?.containers ?? [];
  const image = (containers.find((c) => c.name === containerName) ?? containers[0])?.image;
  return {
    name,
    schedule: spec.schedule ?? '',
    ...(spec.timeZone ? { timeZone: spec.timeZone } : {}),
    paused,
    ...(status.lastScheduleTime ? { lastSchedule: status.lastScheduleTime } : {}),
    ...(status.lastSuccessfulTime ? { lastSuccessful: status.lastSuccessfulTime } : {}),
    nextRuns: runs.map((d) => d.toISOString()),
    ...(image ? { image } : {}),
    ...(template ? { template } : {}),
    ...(templateProblem ? { templateProblem } : {}),
    activeJobs: status.active?.length ?? 0,
    ...(cronJob.metadata.creationTimestamp ? { created: cronJob.metadata.creationTimestamp } : {}),
    labels: cronJob.metadata.labels ?? {},
  };
}
