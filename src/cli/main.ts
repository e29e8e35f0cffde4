import type { Config } from '@oclif/core/config';
import { run } from '@oclif/core/run';
import type { Manifest } from '@oclif/core/interfaces';
import { CliError, ExitCode } from '../errors.js';
import { keepFirstFlagIndented } from './help-indentation.js';
import { withImpliedTrue } from './implied-true-flags.js';
import { loadConfig } from './oclif-config.js';

/**
 * The commands' manifest, put in by the build (scripts/build.ts) in place of this name, so that
 * the single executable loads only the command it runs; undefined in a run from source.
 */
declare const KUBECTL_BACKUP_COMMAND_MANIFEST: Manifest | undefined;
const builtManifest = typeof KUBECTL_BACKUP_COMMAND_MANIFEST === 'undefined' ? undefined : KUBECTL_BACKUP_COMMAND_MANIFEST;

export async function main(argv: string[], root: string): Promise<void> {
  keepFirstFlagIndented();
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  let config: Config | undefined;
  try {
    config = await loadConfig(root, builtManifest);
    await run(withImpliedTrue(argv), config);
  } catch (err) {
    process.exitCode = reportError(err, verbose, helpCommand(config, argv));
  }
}

/** The help that describes what was mistyped: the command's own when argv names one. */
function helpCommand(config: Config | undefined, argv: readonly string[]): string {
  const words: string[] = [];
  for (const arg of argv) {
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  for (let n = words.length; n > 0; n--) {
    const id = words.slice(0, n).join(':');
    if (config?.findCommand(id) || config?.findTopic(id)) return `kubectl backup ${words.slice(0, n).join(' ')} --help`;
  }
  return 'kubectl backup --help';
}

interface OclifError {
  oclif?: { exit?: number };
  code?: string;
  message?: string;
}

/** One clear line per error on stderr; the exit code as cli.md fixes it. */
function reportError(err: unknown, verbose: boolean, help: string): number {
  if (err instanceof CliError) {
    process.stderr.write(`Error: ${err.message}\n`);
    if (verbose && err.cause instanceof Error) process.stderr.write(`${err.cause.stack}\n`);
    return err.exitCode;
  }
  const e = (err ?? {}) as OclifError;
  if (e.code === 'EEXIT') return e.oclif?.exit ?? 0;
  const exit = e.oclif?.exit;
  if (exit !== undefined) {
    // oclif's parse errors: unknown flags, bad option values, missing arguments.
    const first = String(e.message ?? err).split('\n').filter((l) => l.trim() && !/^See more help/.test(l.trim()));
    // oclif names commands by their ids (`schedule:lst`); users type spaces.
    const message = first.join(' ').replace(/\s+/g, ' ').trim().replace(/^command (\S+) not found$/, (_, id: string) => `unknown command "${id.replaceAll(':', ' ')}"`);
    process.stderr.write(`Error: ${message}\nSee: ${help}\n`);
    return exit === 1 ? ExitCode.Failed : ExitCode.BadInput;
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`Error: ${message}\n`);
  if (verbose && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return ExitCode.Failed;
}
