/**
 * Entry names inside a backup archive (storage.md, Archive). Velero's format 1.1.0, so that the
 * two tools can read each other's archives.
 */
export const formatVersion = '1.1.0';
export const versionEntry = 'metadata/version';

export interface ItemLocation {
  /** `resource[.group]`, e.g. `deployments.apps`. */
  resource: string;
  /** Undefined for cluster-scoped items. */
  namespace?: string;
  name: string;
}

export function itemEntry(item: ItemLocation): string {
  return item.namespace === undefined
    ? `resources/${item.resource}/cluster/${item.name}.json`
    : `resources/${item.resource}/namespaces/${item.namespace}/${item.name}.json`;
}

export interface ParsedItemEntry extends ItemLocation {
  /** Velero also writes each item under a version folder (`v1-preferredversion`, `v1`...). */
  versionFolder?: string;
}

/**
 * Reads an item entry name; undefined for entries that are not items (metadata, directories).
 * Path safety (`..`, absolute paths) is checked by the archive reader before this is called.
 */
export function parseItemEntry(entry: string): ParsedItemEntry | undefined {
  const parts = entry.replace(/^\.\//, '').split('/');
  if (parts[0] !== 'resources' || parts.length < 4) return undefined;
  const resource = parts[1]!;
  let rest = parts.slice(2);
  let versionFolder: string | undefined;
  if (rest[0] !== 'cluster' && rest[0] !== 'namespaces' && /^v\d/.test(rest[0] ?? '')) {
    versionFolder = rest[0];
    rest = rest.slice(1);
  }
  const file = rest[rest.length - 1] ?? '';
  if (!file.endsWith('.json')) return undefined;
  const name = file.slice(0, -'.json'.length);
  if (!name) return undefined;
  if (rest[0] === 'cluster' && rest.length === 2) return { resource, name, versionFolder };
  if (rest[0] === 'namespaces' && rest.length === 3 && rest[1]) return { resource, namespace: rest[1], name, versionFolder };
  return undefined;
}
