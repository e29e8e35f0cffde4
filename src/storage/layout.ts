import { BadInputError } from '../errors.js';

/**
 * Every key name of a storage location (storage.md, "Bucket layout"), following Velero's
 * layout (format 1.1.0) so that each tool can read the other's data. Keys are relative to
 * the location; an S3 location's prefix is added by the store (prefixedKey below).
 *
 *   backups/NAME/NAME.tar.gz                  the archive
 *   backups/NAME/NAME-resource-list.json.gz   resources and their items
 *   backups/NAME/NAME-results.gz              warnings and errors
 *   backups/NAME/NAME-logs.gz                 the log
 *   backups/NAME/kubectl-backup.json          the record, written last: the commit point
 *   restores/NAME/restore-NAME-*              the same for restores, with Velero's names
 */

export const BACKUPS_DIR = 'backups/';
export const RESTORES_DIR = 'restores/';
/**
 * `location check`'s probe objects: outside backups/ and restores/, so that no listing of
 * backups ever sees one.
 */
export const PROBES_DIR = 'kubectl-backup-check/';
/** Every directory this tool writes under: what it may clean up, and nothing else. */
export const OWN_DIRS: readonly string[] = [BACKUPS_DIR, RESTORES_DIR, PROBES_DIR];
export const RECORD_FILE = 'kubectl-backup.json';
/**
 * Velero's record of a backup (its metadata, written right after its log): a directory that
 * holds one is Velero's backup, never the debris of a run of ours.
 */
export const VELERO_BACKUP_RECORD_FILE = 'velero-backup.json';

export type RecordKind = 'backup' | 'restore';

export interface BackupKeys {
  readonly dir: string;
  readonly archive: string;
  readonly resourceList: string;
  readonly results: string;
  readonly logs: string;
  readonly record: string;
}

export interface RestoreKeys {
  readonly dir: string;
  readonly resourceList: string;
  readonly results: string;
  readonly logs: string;
  readonly record: string;
}

export function backupKeys(name: string): BackupKeys {
  const dir = backupDir(name);
  return {
    dir,
    archive: `${dir}${name}.tar.gz`,
    resourceList: `${dir}${name}-resource-list.json.gz`,
    results: `${dir}${name}-results.gz`,
    logs: `${dir}${name}-logs.gz`,
    record: `${dir}${RECORD_FILE}`,
  };
}

export function restoreKeys(name: string): RestoreKeys {
  const dir = restoreDir(name);
  return {
    dir,
    resourceList: `${dir}restore-${name}-resource-list.json.gz`,
    results: `${dir}restore-${name}-results.gz`,
    logs: `${dir}restore-${name}-logs.gz`,
    record: `${dir}${RECORD_FILE}`,
  };
}

export function backupDir(name: string): string {
  assertValidName('backup', name);
  return `${BACKUPS_DIR}${name}/`;
}

export function restoreDir(name: string): string {
  assertValidName('restore', name);
  return `${RESTORES_DIR}${name}/`;
}

export function kindDir(kind: RecordKind): string {
  return kind === 'backup' ? BACKUPS_DIR : RESTORES_DIR;
}

export function recordKey(kind: RecordKind, name: string): string {
  return kind === 'backup' ? backupKeys(name).record : restoreKeys(name).record;
}

/**
 * The key of Velero's record under the name, for backups; Velero keeps no record of a restore
 * in the bucket, so there is none for restores.
 */
export function veleroRecordKey(kind: RecordKind, name: string): string | undefined {
  return kind === 'backup' ? `${backupDir(name)}${VELERO_BACKUP_RECORD_FILE}` : undefined;
}

export function dirOf(kind: RecordKind, name: string): string {
  return kind === 'backup' ? backupDir(name) : restoreDir(name);
}

/**
 * The name and file of a key under backups/ or restores/, or undefined for keys that are not
 * laid out as NAME/FILE with a valid name (listed keys are untrusted; those are ignored).
 */
export function parseKey(kind: RecordKind, key: string): { name: string; file: string } | undefined {
  const root = kindDir(kind);
  if (!key.startsWith(root)) return undefined;
  const rest = key.slice(root.length);
  const slash = rest.indexOf('/');
  if (slash <= 0) return undefined;
  const name = rest.slice(0, slash);
  const file = rest.slice(slash + 1);
  if (file === '' || file.includes('/') || nameProblem(name) !== undefined) return undefined;
  return { name, file };
}

/** The key `location check` writes, reads, lists and deletes; `id` makes checks running at once not meet. */
export function probeKey(id: string): string {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(id)) throw new BadInputError(`invalid probe id ${JSON.stringify(id)}`);
  return `${PROBES_DIR}probe-${id}`;
}

/**
 * Backups and restores are Kubernetes objects by name too, so their names follow the
 * DNS-1123 subdomain rule; that also keeps "/" and ".." out of every key.
 */
export function assertValidName(kind: RecordKind, name: string): void {
  const problem = nameProblem(name);
  if (problem) throw new BadInputError(`invalid ${kind} name ${JSON.stringify(name)}: ${problem}`);
}

export function nameProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 253) return 'it is longer than 253 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name)) {
    return 'it must consist of lowercase letters, digits, "-" and ".", and start and end with a letter or digit (a DNS-1123 subdomain)';
  }
  return undefined;
}

/** A location prefix as stores keep it: '' or 'a/b/' (slashes at either end removed, one added). */
export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

export function prefixedKey(prefix: string, key: string): string {
  return normalizePrefix(prefix) + key;
}

/** The key relative to the prefix, or undefined when it lies outside it. */
export function unprefixedKey(prefix: string, fullKey: string): string | undefined {
  const normalized = normalizePrefix(prefix);
  return fullKey.startsWith(normalized) ? fullKey.slice(normalized.length) : undefined;
}
