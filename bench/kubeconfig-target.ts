import os from 'node:os';
import path from 'node:path';
import { errorMessage } from '../src/errors.js';
import { defaultToolNamespace, ownResourcePath, type OwnResource } from '../src/install/api-group.js';
import { isNotFound } from '../src/kube/api-error.js';
import type { KubeClient } from '../src/kube/client.js';
import { connectCluster } from '../src/kube/cluster.js';
import { Discovery, resourcePath } from '../src/kube/discovery.js';
import { getIfExists } from '../src/kube/get-if-exists.js';
import type { KubeList, KubeObject } from '../src/kube/types.js';
import { runPool } from '../src/restore/run-pool.js';
import type { BenchNames } from './bench-names.js';
import { once, type BenchTarget } from './bench-target.js';

/** Creates and deletes in flight: about what a real API server takes from one client without throttling it. */
const concurrency = 16;

/**
 * The cluster of the current context of `$KUBECONFIG` (or ~/.kube/config), for `--cluster`.
 * Objects go in by ordinary creates through the project's API client (retries included), at
 * most `concurrency` at a time; only objects of the run (bench-names.ts) are created, and the
 * clean-up deletes the run's namespaces (their objects go with them) and the Backup and Restore
 * objects that kubectl-backup mirrored its runs into where its CRDs are installed. It does not
 * wait for the namespaces to terminate: a real cluster takes its time, and says so.
 */
export async function kubeconfigTarget(names: BenchNames, env: NodeJS.ProcessEnv = process.env, log: (line: string) => void = console.log): Promise<BenchTarget> {
  const { client, kubeConfig } = await connectCluster({ env }, { maxSockets: concurrency, userAgent: 'kubectl-backup-bench' });
  const file = env.KUBECONFIG || path.join(os.homedir(), '.kube', 'config');
  let discovery: Promise<Discovery> | undefined;
  let closing = false;
  return {
    description: `context "${kubeConfig.getCurrentContext()}" of ${file} (${client.server})`,
    env,
    selector: names.selector,
    startedCold: false,
    create: async (objects) => {
      const resources = await (discovery ??= Discovery.load(client));
      let created = 0;
      await runPool(objects, concurrency, async (object) => {
        if (closing) throw new Error('the benchmark is stopping: no more creates');
        const { kind, apiVersion, metadata } = object;
        // The one guard that keeps a mistake in a suite from writing where the user's objects are.
        const owner = kind === 'Namespace' ? metadata.name : metadata.namespace;
        if (owner === undefined || !names.owns(owner)) throw new Error(`${kind} ${metadata.name} is not in a namespace of this run (${names.prefix}*)`);
        const resource = resources.forKind(apiVersion ?? '', kind ?? '');
        if (!resource) throw new Error(`the cluster does not serve ${kind} of ${apiVersion}`);
        await client.json({ method: 'POST', path: resourcePath(resource, metadata.namespace), body: object, discardBody: true });
        created++;
      });
      return created;
    },
    close: once(async () => {
      closing = true;
      const namespaces = await deleteNamespaces(client, names);
      log(`deletion of ${namespaces} namespace(s) ${names.prefix}* requested; the cluster removes them and their objects in the background (kubectl get namespaces -l ${names.selector})`);
      const toolNamespace = env.KUBECTL_BACKUP_NAMESPACE ?? defaultToolNamespace;
      for (const resource of ['backups', 'restores'] as const) {
        try {
          await deleteOwnObjects(client, toolNamespace, resource, names);
        } catch (err) {
          log(`could not remove the ${resource} objects ${names.prefix}* from namespace ${toolNamespace}: ${errorMessage(err)}`);
        }
      }
    }),
  };
}

/** Asks for the deletion of every namespace of the run; resolves to how many. */
async function deleteNamespaces(client: KubeClient, names: BenchNames): Promise<number> {
  const owned: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.json<KubeList>({ method: 'GET', path: '/api/v1/namespaces', query: { limit: 500, continue: token } });
    owned.push(...page.items.map((ns) => ns.metadata.name ?? '').filter((name) => names.owns(name)));
    token = page.metadata?.continue || undefined;
  } while (token);
  await runPool(owned, concurrency, (name) => deleteIfThere(client, `/api/v1/namespaces/${encodeURIComponent(name)}`));
  return owned.length;
}

/** The run's objects of one of kubectl-backup's resources, where its CRD is served (else there are none). */
async function deleteOwnObjects(client: KubeClient, namespace: string, resource: OwnResource, names: BenchNames): Promise<void> {
  const list = await getIfExists<KubeList>(client, ownResourcePath(resource, namespace));
  const owned = (list?.items ?? []).map((item: KubeObject) => item.metadata.name ?? '').filter((name) => names.owns(name));
  await runPool(owned, concurrency, (name) => deleteIfThere(client, ownResourcePath(resource, namespace, name)));
}

async function deleteIfThere(client: KubeClient, path: string): Promise<void> {
  try {
    await client.json({ method: 'DELETE', path, discardBody: true });
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
}
