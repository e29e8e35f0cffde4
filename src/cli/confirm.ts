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
 * Returns false when the user declines.
 */
export async function confirmDestructive(command: string, question: string, confirmed: boolean, io: ConfirmIo = processIo): Promise<boolean> {
  if (confirmed) return true;
  if (!io.input.isTTY || !io.output.isTTY) {
    throw new BadInputError(`${command} deletes and cannot be undone: it needs --confirm when not run from a terminal`);
  }
  const rl = readline.createInterface({ input: io.input, output: io.output });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
