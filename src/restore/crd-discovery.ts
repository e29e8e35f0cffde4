import { qualifiedName, type Discovery } from '../kube/discovery.js';
import { pollUntil, type PollOptions } from './poll-until.js';

interface Served {
  discovery: Discovery;
  /** The names the discovery does not serve. */
  unserved: string[];
}

/**
 * Discovery once it serves each of `names` (CRD names, which are `resource.group`), loaded
 * again with growing pauses (up to 5 s unless told) until timeoutMs has passed. The
 * Established condition does not mean discovery has the resource: apiextensions-apiserver's
 * discovery controller adds a CRD's group version on its own schedule, so discovery can trail
 * the condition, and a single load right after it would fail every custom resource of a CRD
 * that is about to be served.
 * @returns the last discovery loaded, and the names it still does not serve
 */
export async function waitUntilServed(names: ReadonlySet<string>, load: () => Promise<Discovery>, options: PollOptions): Promise<Served> {
  let last: Served | undefined;
  const served = await pollUntil(
    async () => {
      const discovery = await load();
      const known = new Set(discovery.all().map(qualifiedName));
      last = { discovery, unserved: [...names].filter((name) => !known.has(name)) };
      return last.unserved.length === 0 ? last : undefined;
    },
    { maxPollIntervalMs: 5000, ...options },
  );
  return served ?? last!;
}
