import { BadInputError } from '../errors.js';
import { KubeApiError } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { parseLabelSelector } from '../kube/label-selector.js';

/**
 * Label selectors are evaluated by the API server, so the server also says whether they are
 * valid: one tiny LIST per selector, before anything is written. A malformed selector is bad
 * input (exit 2), said before the backup starts rather than as a failure of every LIST.
 */
export async function checkSelectors(client: KubeClient, selectors: readonly (string | undefined)[], flag: string, signal?: AbortSignal): Promise<void> {
  for (const selector of selectors) {
    if (selector === undefined) continue;
    try {
      await client.json({ method: 'GET', path: '/api/v1/namespaces', query: { limit: 1, labelSelector: selector }, signal });
    } catch (err) {
      if (err instanceof KubeApiError && err.code === 400) {
        throw new BadInputError(`invalid ${flag} "${selector}": ${err.status?.message ?? 'the API server refused it'}`);
      }
      // One who may not list namespaces: the selector is checked here instead.
      if (err instanceof KubeApiError && err.code === 403) {
        parseLabelSelector(selector, flag.replace(/^--/, ''));
        continue;
      }
      throw err;
    }
  }
}
