import { setTimeout as pause } from 'node:timers/promises';
import { qualifiedName, type Discovery } from '../kube/discovery.js';

export interface ServedWaitOptions {
  timeoutMs: number;
  /** The first pause between loads; each next one is twice as long, up to maxPollIntervalMs. */
  pollIntervalMs: number;
  maxPollIntervalMs?: number;
  /** The pause between loads: for tests. */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Discovery once it serves each of `names` (CRD names, which are `resource.group`), loaded
 * again with growing pauses until timeoutMs has passed. The Established condition does not
 * mean discovery has the resource: apiextensions-apiserver's discovery controller adds a CRD's
 * group version on its own schedule, so discovery can trail the condition, and a single load
 * right after it would fail every custom resource of a CRD that is about to be served.
 * @returns the last discovery loaded, and the names it still does not serve
 */
export async function waitUntilServed(names: ReadonlySet<string>, load: () => Promise<Discovery>, options: ServedWaitOptions): Promise<{ discovery: Discovery; unserved: string[] }> {
  const deadline = Date.now() + options.timeoutMs;
  const { maxPollIntervalMs = 5000, sleep = (ms: number) => pause(ms) } = options;
  for (let interval = options.pollIntervalMs; ; interval = Math.min(interval * 2, maxPollIntervalMs)) {
    const discovery = await load();
    const served = new Set(discovery.all().map(qualifiedName));
    const unserved = [...names].filter((name) => !served.has(name));
    const left = deadline - Date.now();
    if (unserved.length === 0 || left <= 0) return { discovery, unserved };
    await sleep(Math.min(interval, left));
  }
}
