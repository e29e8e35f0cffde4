/**
 * Checks on one tar entry of an untrusted archive, before anything reads its body. The archive
 * is never extracted to disk, but names still become object names and paths in messages, so
 * the rules are those of a safe extractor: relative paths only, no `..`, regular files only.
 */

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
  if (name.includes('\0')) return `entry ${JSON.stringify(name)} has a NUL in its name`;
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return `entry ${JSON.stringify(name)} has an absolute path`;
  if (name.split(/[/\\]/).includes('..')) return `entry ${JSON.stringify(name)} contains ".."`;
  const type = header.type ?? 'file';
  // Directory entries (what `tar czf` writes) carry no data and are skipped, not refused.
  if (type !== 'file' && type !== 'directory') return `entry ${JSON.stringify(name)} is a ${type}, not a regular file`;
  return undefined;
}
