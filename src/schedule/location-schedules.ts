import type { KubeClient } from '../kube/client.js';
import { isRecord, type KubeObject } from '../kube/types.js';
import { parseTemplate, templateAnnotation } from './backup-template.js';
import { containerName, credentialEnv, credentialKeys } from './cronjob-manifest.js';
import { ScheduleClient } from './schedule-client.js';

/** The CronJobs of the schedules whose backups go to the location `name`. */
export async function schedulesOfLocation(client: KubeClient, namespace: string, name: string): Promise<KubeObject[]> {
  return (await new ScheduleClient(client, namespace).list()).filter((cj) => {
    try {
      return parseTemplate(cj.metadata.annotations?.[templateAnnotation], cj.metadata.name ?? '').storageLocation === name;
    } catch {
      return false;
    }
  });
}

const credentialNames = new Set(credentialKeys.map(({ key }) => key));

/**
 * Points the credentials of every schedule of the location at `secret` (none: removed). A
 * schedule wires the Secret into its pod when it is made; left alone after `location set`, its
 * runs kept the old credentials, or could not start once that Secret was gone.
 * @returns the names of the schedules changed
 */
export async function rewireScheduleCredentials(client: KubeClient, namespace: string, location: string, secret: string | undefined): Promise<string[]> {
  const schedules = new ScheduleClient(client, namespace);
  const changed: string[] = [];
  for (const cronJob of await schedulesOfLocation(client, namespace, location)) {
    const containers = podContainers(cronJob);
    if (containers === undefined) continue;
    const rewired = containers.map((container) => {
      if (!isRecord(container) || container.name !== containerName) return container;
      const env = Array.isArray(container.env) ? container.env.filter((entry) => !(isRecord(entry) && typeof entry.name === 'string' && credentialNames.has(entry.name))) : [];
      return { ...container, env: [...env, ...credentialEnv(secret)] };
    });
    await schedules.setContainers(cronJob.metadata.name ?? '', rewired);
    changed.push(cronJob.metadata.name ?? '');
  }
  return changed;
}

function podContainers(cronJob: KubeObject): unknown[] | undefined {
  const spec = cronJob.spec;
  if (!isRecord(spec) || !isRecord(spec.jobTemplate) || !isRecord(spec.jobTemplate.spec) || !isRecord(spec.jobTemplate.spec.template)) return undefined;
  const pod = spec.jobTemplate.spec.template.spec;
  return isRecord(pod) && Array.isArray(pod.containers) ? pod.containers : undefined;
}
