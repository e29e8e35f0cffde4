import readline from 'node:readline/promises';
import { BadInputError } from '../errors.js';

export interface ConfirmIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
}

const processIo: ConfirmIo = { input: process.stdin, output: process.stderr };

/**
 * Destructive commands (cli.md): `--confirm` goes ahead; on a terminal the user is asked;
 * anywhere else, without `--confirm`, it is bad input (exit 2) and nothing is changed.
 * Returns false when the user declines, or ends the input (Ctrl+D) without answering.
 */
export async function confirmDestructive(command: string, question: string, confirmed: boolean, io: ConfirmIo = processIo): Promise<boolean> {
  if (confirmed) return true;
  if (!io.input.isTTY || !io.output.isTTY) {
    throw new BadInputError(`${command} deletes and cannot be undone: it needs --confirm when not run from a terminal`);
  }
  const rl = readline.createInterface({ input: io.input, output: io.output });
  // Input that ends closes the interface without settling the question; Ctrl+D on a terminal
  // rejects it. Either way there was no yes: declined, not a failure.
  const ended = new Promise<undefined>((resolve) => rl.once('close', () => resolve(undefined)));
  try {
    const answer = await Promise.race([rl.question(`${question} [y/N] `), ended]);
    if (answer !== undefined) return /^y(es)?$/i.test(answer.trim());
  } catch (err) {
    if (!isAbort(err)) throw err;
  } finally {
    rl.close();
  }
  io.output.write('\n');
  return false;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || (err as NodeJS.ErrnoException).code === 'ABORT_ERR');
}
