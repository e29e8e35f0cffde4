import { BadInputError } from '../errors.js';
import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { managedByLabel, managedByValue, scheduleNameLabel } from '../install/api-group.js';
import { getIfExists } from '../kube/get-if-exists.js';

export class ScheduleNotFoundError extends BadInputError {
  constructor(name: string, namespace: string) {
    super(`schedule "${name}" not found in namespace ${namespace}; see: kubectl backup schedule get`);
  }
}

const cronJobs = (namespace: string) => `/apis/batch/v1/namespaces/${encodeURIComponent(namespace)}/cronjobs`;

/** Only CronJobs we made are schedules: a CronJob of the same name made by someone else is not touched. */
export function isSchedule(cronJob: KubeObject): boolean {
  const labels = cronJob.metadata.labels ?? {};
  return labels[managedByLabel] === managedByValue && labels[scheduleNameLabel] !== undefined;
}

/** The schedules (CronJobs) of the tool namespace. */
export class ScheduleClient {
  constructor(
    private readonly client: KubeClient,
    readonly namespace: string,
  ) {}

  /** Every schedule, or those matching `selector` as well, by name. */
  async list(selector?: string): Promise<KubeObject[]> {
    const own = `${managedByLabel}=${managedByValue},${scheduleNameLabel}`;
    const list = await this.client.json<KubeList>({
      method: 'GET',
      path: cronJobs(this.namespace),
      query: { labelSelector: selector ? `${own},${selector}` : own },
    });
    return list.items.filter(isSchedule).sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  }

  async get(name: string): Promise<KubeObject | undefined> {
    const cronJob = await getIfExists<KubeObject>(this.client, `${cronJobs(this.namespace)}/${encodeURIComponent(name)}`);
    return cronJob && isSchedule(cronJob) ? cronJob : undefined;
  }

  async require(name: string): Promise<KubeObject> {
    const cronJob = await this.get(name);
    if (!cronJob) throw new ScheduleNotFoundError(name, this.namespace);
    return cronJob;
  }

  async create(cronJob: KubeObject): Promise<KubeObject> {
    return this.client.json<KubeObject>({ method: 'POST', path: cronJobs(this.namespace), body: cronJob });
  }

  async setSuspend(name: string, suspend: boolean): Promise<KubeObject> {
    return this.client.json<KubeObject>({
      method: 'PATCH',
      path: `${cronJobs(this.namespace)}/${encodeURIComponent(name)}`,
      contentType: 'application/merge-patch+json',
      body: { spec: { suspend } },
    });
  }

  /** Replaces the pod template's containers (a merge patch replaces an array whole). */
  async setContainers(name: string, containers: readonly unknown[]): Promise<KubeObject> {
    return this.client.json<KubeObject>({
      method: 'PATCH',
      path: `${cronJobs(this.namespace)}/${encodeURIComponent(name)}`,
      contentType: 'application/merge-patch+json',
      body: { spec: { jobTemplate: { spec: { template: { spec: { containers } } } } } },
    });
  }

  /** The CronJob and its Jobs (background propagation); never backup data. False when already gone. */
  async delete(name: string): Promise<boolean> {
    try {
      await this.client.json({
        method: 'DELETE',
        path: `${cronJobs(this.namespace)}/${encodeURIComponent(name)}`,
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }
}
