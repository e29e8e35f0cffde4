/**
 * Checks on one tar entry of an untrusted archive, before anything reads its body. The archive
 * is never extracted to disk, but names still become object names and paths in messages, so
 * the rules are those of a safe extractor: relative paths only, no `..`, regular files only.
 * Tar's only separator is `/`: a backslash is an ordinary character of a name (RBAC names need
 * only be path segments, so a Role may be named `x\..\y`), and reading it as a separator would
 * let anyone who may create a Role make every later backup unrestorable.
 */

/**
 * Linux's PATH_MAX: no extractor can make a longer path, and the longest entry a backup writes
 * (a 253-character name under the longest resource folder) is under 700 characters. tar-stream
 * takes pax names of up to 4 MiB; this keeps them from ever reaching the index.
 */
const maxEntryNameLength = 4096;

/** The tar-stream header fields the checks read. */
export interface EntryHeader {
  name: string;
  type?: string | null;
  size?: number;
}

/** Why an entry must be refused, or undefined when it is acceptable. */
export function entryProblem(header: EntryHeader): string | undefined {
  const name = header.name;
  if (name.length === 0) return 'an entry has an empty name';
  if (name.length > maxEntryNameLength) return `entry ${quotedEntry(name)} has a name of ${name.length} characters, more than ${maxEntryNameLength}`;
  if (name.includes('\0')) return `entry ${quotedEntry(name)} has a NUL in its name`;
  // A leading backslash or drive letter is no path in a tar, but it is one to an extractor on
  // Windows, and no entry a backup writes starts so (they all start with `resources/` or
  // `metadata/`): refused as absolute all the same.
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return `entry ${quotedEntry(name)} has an absolute path`;
  if (name.split('/').includes('..')) return `entry ${quotedEntry(name)} contains ".."`;
  // tar-stream gives no type (null) for a type flag it does not know: GNU sparse files, volume
  // labels, multi-volume parts; what such an entry holds is not the file's bytes, refused too.
  const type = header.type;
  if (type === undefined || type === null) return `entry ${quotedEntry(name)} is of a type this reader does not know, not a regular file`;
  // Directory entries (what `tar czf` writes) carry no data and are skipped, not refused.
  if (type !== 'file' && type !== 'directory') return `entry ${quotedEntry(name)} is a ${type}, not a regular file`;
  return undefined;
}

/** An entry name for messages, cut short: a hostile name may be megabytes long. */
export function quotedEntry(name: string): string {
  return name.length <= 200 ? JSON.stringify(name) : `${JSON.stringify(name.slice(0, 200))}...`;
}
