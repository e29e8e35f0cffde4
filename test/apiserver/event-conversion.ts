import type { KubeObject } from './object-meta.js';

/** events.k8s.io/v1 field <-> core/v1 field; both groups read the same stored events. */
const RENAMES: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: KubeObject, pairs: [string, string][]): KubeObject {
  const out: KubeObject = { metadata: obj.metadata };
  const map = new Map(pairs);
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'metadata') continue;
    out[map.get(key) ?? key] = value;
  }
  return out;
}

export function eventToCore(obj: KubeObject): KubeObject {
  return rename(obj, RENAMES);
}

export function eventFromCore(obj: KubeObject): KubeObject {
  return rename(obj, RENAMES.map(([a, b]) => [b, a]));
}
