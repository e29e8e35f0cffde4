import { BadInputError } from '../errors.js';

/** S3's limit on a key, in UTF-8 bytes; the prefix counts too. */
export const MAX_KEY_BYTES = 1024;

/**
 * Keys are relative '/'-separated paths with no empty, '.' or '..' segment, so that the same
 * key means the same object in a bucket and in a directory, and no key can leave the
 * location's directory.
 */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new BadInputError(`invalid object key ${JSON.stringify(key)}: ${problem}`);
}

export function keyProblem(key: string): string | undefined {
  if (key.length === 0) return 'it is empty';
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) return `it is longer than ${MAX_KEY_BYTES} bytes`;
  if (key.includes('\0') || key.includes('\\')) return 'it contains a NUL or a backslash';
  if (key.startsWith('/')) return 'it starts with "/"';
  if (key.endsWith('/')) return 'it ends with "/"';
  for (const segment of key.split('/')) {
    if (segment === '') return 'it contains "//"';
    if (segment === '.' || segment === '..') return `it contains a "${segment}" segment`;
  }
  return undefined;
}
