import { BadInputError } from '../errors.js';

/**
 * An archive that is not what a backup writes: an unsafe or unknown entry, an oversized item,
 * a corrupted or truncated stream. Archives from storage are untrusted, so this is bad input
 * (exit 2), and it is raised before anything is created from the archive.
 */
export class InvalidArchiveError extends BadInputError {
  constructor(archive: string, problem: string, options?: { cause?: unknown }) {
    super(`archive ${archive} is not a valid backup archive: ${problem}`, options);
  }
}
