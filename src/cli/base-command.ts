import { Command } from '@oclif/core/command';
import * as Flags from '@oclif/core/flags';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { printableStream } from '../backup-records/printable-stream.js';
import { ExitCode } from '../errors.js';
import { defaultToolNamespace } from '../install/api-group.js';
import { requireDns1123Label } from '../install/namespace-name.js';
import { connectCluster, type Cluster } from '../kube/cluster.js';
import type { RetryNotice } from '../kube/client.js';
import { StreamLogger, type LogFormat, type Logger } from '../log/logger.js';
import { LogProgress } from '../progress/log-progress.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { TerminalProgress } from '../progress/terminal-progress.js';
import { renderData, renderTable, type Column, type OutputFormat } from './output.js';

/** `-o`: only on commands that print something readable. */
export const outputFlag = Flags.option({
  char: 'o',
  description: 'output format',
  options: ['table', 'json', 'yaml'] as const,
})();

/** Flags every command that talks to a cluster takes (cli.md, Common flags). */
export const clusterFlags = {
  kubeconfig: Flags.string({ description: 'path to the kubeconfig file (default: KUBECONFIG, ~/.kube/config, or the in-cluster service account)', helpGroup: 'GLOBAL' }),
  context: Flags.string({ description: 'kubeconfig context to use', helpGroup: 'GLOBAL' }),
  namespace: Flags.string({
    char: 'n',
    description: "namespace of kubectl-backup's own records, schedules and locations (default: KUBECTL_BACKUP_NAMESPACE or kubectl-backup)",
    helpGroup: 'GLOBAL',
  }),
  'log-format': Flags.option({ description: 'format of log lines (default: text on a terminal, json otherwise)', options: ['text', 'json'] as const, helpGroup: 'GLOBAL' })(),
  verbose: Flags.boolean({ char: 'v', description: 'show debug logs and stack traces', helpGroup: 'GLOBAL' }),
};

interface CommonFlagValues {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  'log-format'?: LogFormat;
  verbose?: boolean;
}

/**
 * Commands only parse flags, build a request, call an engine and render its result; this base
 * gives them the cluster connection, the logger and the renderers.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = clusterFlags;

  private common: CommonFlagValues = {};
  private clusterPromise: Promise<Cluster> | undefined;
  private loggerInstance: Logger | undefined;
  private progressBar = false;
  /** The bar while it shows: console lines are written above it, never behind its back. */
  private terminalProgress: TerminalProgress | undefined;

  /** Call from run() with the parsed flags, before anything else. */
  protected useFlags(flags: CommonFlagValues): void {
    this.common = flags;
  }

  /**
   * Checked where it is read, before the first request that uses it: a malformed name is bad
   * input (exit 2), not a 404 from the API server or, for storage, a silent fall back to the
   * embedded default location.
   */
  protected get toolNamespace(): string {
    if (this.common.namespace !== undefined) return requireDns1123Label('--namespace', this.common.namespace);
    const fromEnv = process.env.KUBECTL_BACKUP_NAMESPACE;
    if (fromEnv) return requireDns1123Label('KUBECTL_BACKUP_NAMESPACE', fromEnv);
    return defaultToolNamespace;
  }

  protected get logger(): Logger {
    this.loggerInstance ??= new StreamLogger({ write: (line: string) => this.writeLine(process.stderr, line) }, this.logFormat, this.common.verbose ? 'debug' : this.progressBar ? 'warn' : 'info');
    return this.loggerInstance;
  }

  protected get logFormat(): LogFormat {
    if (this.common['log-format']) return this.common['log-format'];
    return this.onTerminal ? 'text' : 'json';
  }

  /** A person is watching stderr (a pod's stderr goes to its log, never to a person). */
  protected get onTerminal(): boolean {
    return process.stderr.isTTY === true && !process.env.KUBERNETES_SERVICE_HOST;
  }

  /**
   * For long runs, before their first log line: on a terminal a progress bar will be drawn, and
   * console lines below warnings would break it (the run's own log artifact keeps them all).
   */
  protected prepareProgress(): void {
    if (!this.onTerminal) return;
    this.progressBar = true;
    this.loggerInstance = undefined;
  }

  /** The progress bar on a terminal (after prepareProgress), else progress as log lines. */
  protected progressReporter(subject: string): ProgressReporter {
    if (!this.progressBar) return new LogProgress(this.logger, subject);
    this.terminalProgress = new TerminalProgress(process.stderr);
    return this.terminalProgress;
  }

  /**
   * Console output while a progress bar may show. stdout goes above the bar only when it is a
   * terminal too (the bar's, in practice: a stdout on another terminal only costs a redraw);
   * piped, it never meets the bar.
   */
  private writeLine(stream: NodeJS.WriteStream, text: string): void {
    if (this.terminalProgress && stream.isTTY) this.terminalProgress.writeLine(stream, text);
    else stream.write(text);
  }

  protected connect(): Promise<Cluster> {
    this.clusterPromise ??= connectCluster(
      { kubeconfig: this.common.kubeconfig, context: this.common.context },
      { onRetry: (n: RetryNotice) => this.logger.log('warn', 'retrying API request', { method: n.method, path: n.path, attempt: n.attempt, delayMs: n.delayMs, reason: n.reason }) },
    );
    return this.clusterPromise;
  }

  protected print(text: string): void {
    this.writeLine(process.stdout, text);
  }

  /**
   * Streams a log artifact to stdout as it is read, its control characters made harmless (it
   * comes from storage). A reader that stops early (`| head`) is not an error.
   */
  protected async printStream(stream: Readable): Promise<void> {
    try {
      await pipeline(stream, printableStream(), process.stdout, { end: false });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EPIPE') throw err;
      stream.destroy();
    }
  }

  /** A list: a table, or with `-o json|yaml` the rows (or `data`) as one document. */
  protected render<T>(format: OutputFormat | undefined, rows: readonly T[], columns: readonly Column<T>[], data: unknown = rows): void {
    if (format === 'json' || format === 'yaml') this.printData(format, data);
    else this.print(renderTable(rows, columns));
  }

  /** One document for `-o json|yaml`, when the table form is the command's own text. */
  protected printData(format: 'json' | 'yaml', data: unknown): void {
    this.print(renderData(format, data));
  }

  /** Ends with a non-zero code after the result was printed (e.g. 3 for partially failed). */
  protected setExitCode(code: ExitCode): void {
    process.exitCode = code;
  }
}
