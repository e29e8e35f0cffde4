import { BadInputError, OperationError } from '../errors.js';

/**
 * Errors of the storage layer. Each one is a CliError, so one that escapes to the command
 * prints as is and sets the exit code; callers that know more (a backup name, a hint) catch
 * the typed error and say it in their own words.
 */

/** The store failed: network, permissions, a server error after the last retry. */
export class StorageError extends OperationError {}

export class ObjectNotFoundError extends OperationError {
  constructor(
    readonly key: string,
    location: string,
  ) {
    super(`object "${key}" not found in ${location}`);
  }
}

/** Objects are written once: a second write of the same key is refused. */
export class ObjectExistsError extends OperationError {
  constructor(
    readonly key: string,
    location: string,
  ) {
    super(`object "${key}" already exists in ${location}; objects are written once and never replaced`);
  }
}

/** The store keeps the object under retention (S3 Object Lock or a WORM setting). */
export class ObjectLockedError extends OperationError {
  constructor(
    readonly key: string,
    location: string,
    /** When the store told it; undefined when it refused without saying until when. */
    readonly retainUntil: Date | undefined,
    options?: { cause?: unknown },
  ) {
    super(
      retainUntil
        ? `object "${key}" in ${location} is under object lock retention until ${retainUntil.toISOString()} and cannot be deleted before then`
        : `object "${key}" in ${location} is under object lock retention and cannot be deleted yet`,
      options,
    );
  }
}

/** An artifact does not match what its record says: untrusted data, never used. */
export class ArtifactIntegrityError extends BadInputError {
  constructor(
    readonly key: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`artifact "${key}" failed its integrity check: ${problem}`, options);
  }
}

/** A record read from storage is not what we write: named by key and field. */
export class InvalidRecordError extends BadInputError {
  constructor(
    readonly key: string,
    readonly field: string | undefined,
    problem: string,
  ) {
    super(`invalid record "${key}": ${field ? `${field} ${problem}` : problem}`);
  }
}
