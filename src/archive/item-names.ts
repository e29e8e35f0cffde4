import type { ItemLocation } from './archive-paths.js';
import { quotedEntry } from './entry-safety.js';

/**
 * The names an archive item may have: those of objects a cluster can hold, bounded. The reader
 * refuses other items (an untrusted archive could otherwise fill the index with megabyte
 * names), and the backup applies the same rules, so that it never writes an item that a
 * restore would refuse.
 *
 * Kubernetes names most kinds as DNS-1123 subdomains (at most 253 characters); a few kinds
 * (RBAC's four, for one) only as path segments: not `.` or `..`, no `/` or `%`, and no length
 * rule of their own. Every name passes here that is a path segment of at most 253 characters:
 * each subdomain is one, and a longer path-segment name could not be restored by Velero either,
 * which extracts the archive to disk, where a file name is at most 255 bytes (`NAME.json`).
 */
const maxNameLength = 253;

/** RFC 1123 label: namespaces are named so (at most 63 characters). */
const dnsLabel = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
/**
 * `resource[.group]`: a plural that is a DNS label and a group that is a DNS-1123 subdomain
 * (a CRD's plural and group must be so), 63 + 1 + 253 characters at most.
 */
const resourceFolder = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const maxResourceFolderLength = 63 + 1 + 253;

/** Why an item at this location cannot be in an archive, or undefined when it can. */
export function itemLocationProblem(location: ItemLocation): string | undefined {
  const { resource, namespace, name } = location;
  if (resource.length > maxResourceFolderLength || !resourceFolder.test(resource)) return `its resource ${quotedEntry(resource)} is not a resource[.group] name`;
  if (namespace !== undefined && !dnsLabel.test(namespace)) return `its namespace ${quotedEntry(namespace)} is not a DNS-1123 label`;
  if (name.length === 0 || name.length > maxNameLength) return `its name is ${name.length} characters long (1 to ${maxNameLength} are allowed)`;
  if (name === '.' || name === '..' || /[/%\0]/.test(name)) return `its name ${quotedEntry(name)} is not a valid path segment`;
  return undefined;
}
