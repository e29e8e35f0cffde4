import type { KubeClient } from '../kube/client.js';
import { getIfExists } from '../kube/get-if-exists.js';
import type { KubeObject } from '../kube/types.js';
import { readOrUndefined } from './fatal-error.js';
import type { RestoreLabels } from './restore-labels.js';

/**
 * The object at `path` when this restore made it, else undefined. A create sent again after a
 * lost answer (a connection reset once the server had made the object, a 5xx from a proxy)
 * gets 409 AlreadyExists for what the attempt before made: the object then carries this
 * restore's labels, and is this restore's own, to count and finish as created. An object that
 * cannot be read is taken for another's; a fatal error (the server gone) propagates.
 */
export async function ownCreate(client: KubeClient, path: string, labels: RestoreLabels): Promise<KubeObject | undefined> {
  const found = await readOrUndefined(getIfExists<KubeObject>(client, path));
  const present = found?.metadata?.labels ?? {};
  return found !== undefined && Object.entries(labels).every(([key, value]) => present[key] === value) ? found : undefined;
}
