/** Process exit codes, as cli.md fixes them. */
export enum ExitCode {
  Ok = 0,
  /** The operation failed (cluster or storage error). */
  Failed = 1,
  /** Bad input, said before anything is changed. */
  BadInput = 2,
  /** Finished, but some items failed; the record lists them. */
  Partial = 3,
}

/** An error meant for the user: its message is printed as is, and it decides the exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class BadInputError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.BadInput, options);
  }
}

export class OperationError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Failed, options);
  }
}

/** A run stopped from outside (SIGINT, SIGTERM): it ends as it is, attempting nothing more. */
export class InterruptedError extends OperationError {}

/** The message of anything thrown, without a stack. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
