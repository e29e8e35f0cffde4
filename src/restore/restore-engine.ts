import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { addAbortSignal, type Readable } from 'node:stream';
import { CliError, errorMessage } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import type { Logger } from '../log/logger.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import type { RestoreCounts, RestorePhase } from '../storage/restore-record.js';
import { spoolArchive } from './archive-spool.js';
import { earlyPreparation } from './early-preparation.js';
import type { ItemSpool } from './item-spool.js';
import { compileLabelSelection } from './label-selection.js';
import { preparationSettings } from './item-preparation.js';
import type { PlanEntry } from './restore-plan.js';
import type { RestoreRequest } from './restore-request.js';
import type { ResultGroup } from '../storage/results-file.js';
import type { RestoredResourceList } from './restored-resource-list.js';
import { RestoreRun } from './restore-run.js';
import { spoolScope } from './spool-scope.js';

/** The backup a restore reads. */
export interface RestoreSource {
  /** How messages name the archive (its key in storage). */
  archiveName: string;
  /** The archive as a stream that fails unless its bytes are what the backup's record says. */
  openArchive(): Promise<Readable>;
  /** The backup's `--ordered-resources`: resource (as the user wrote it) → `ns/name` items. */
  orderedResources: Readonly<Record<string, readonly string[]>>;
}

export interface RestoreEnvironment {
  client: KubeClient;
  logger: Logger;
  /** Discovery of the target cluster; loaded again once CRDs are restored. */
  loadDiscovery?: () => Promise<Discovery>;
  /** Items done of the items the restore takes; types as stages. */
  progress?: ProgressReporter;
  /** Dry runs: every item's plan, as it is decided. */
  onPlan?: (entry: PlanEntry) => void;
  /** Where every item's outcome goes, for the resource list artifact (none in dry runs); ended by its owner. */
  resourceList?: RestoredResourceList;
  /** Told once the archive is verified and read, before anything is created: the restore starts for real. */
  onVerified?: () => void;
  /**
   * Checks made while the archive is read (the backup's other artifacts, the restore's name),
   * each a round trip to storage that need not hold the read back. Nothing is created unless
   * they pass; when they fail, their error is the one raised and the read stops.
   */
  checks?: Promise<void>;
}

export interface RestoreOptions {
  /** Items of one type in flight at once. */
  concurrency?: number;
  crdEstablishTimeoutMs?: number;
  crdPollIntervalMs?: number;
  /** How long to wait for a namespace being deleted to go before restoring into it. */
  namespaceTerminatingTimeoutMs?: number;
  namespacePollIntervalMs?: number;
  /** Where the archive's items are spooled (the system's temp directory by default). */
  tempDir?: string;
  maxItemBytes?: number;
  now?: () => Date;
}

export interface RestoreOutcome {
  phase: RestorePhase;
  startTime: Date;
  completionTime: Date;
  counts: RestoreCounts;
  countsByResource: Record<string, RestoreCounts>;
  warnings: ResultGroup;
  errors: ResultGroup;
  warningCount: number;
  errorCount: number;
  /** Why the restore stopped (phase Failed). */
  failureReason?: string;
}

/**
 * Restores a backup (restore.md). The archive is read, verified and indexed in one pass before
 * anything is created; bad input (a checksum mismatch, a hostile or corrupted archive, a bad
 * selector) is thrown as a CliError with nothing changed. Once objects may have been created,
 * a failure ends the restore with phase Failed and is returned, so that its record and log
 * can still be written.
 */
export async function runRestore(request: RestoreRequest, source: RestoreSource, env: RestoreEnvironment, options: RestoreOptions = {}): Promise<RestoreOutcome> {
  const now = options.now ?? (() => new Date());
  const startTime = now();
  const selector = compileLabelSelection(request.filters);
  const dir = await fs.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'kubectl-backup-restore-'));
  let spool: ItemSpool | undefined;
  const loadDiscovery = env.loadDiscovery ?? (() => Discovery.load(env.client));
  // Read-only, so it runs while the archive is read; its failure still comes second.
  const discovering = loadDiscovery();
  discovering.catch(() => undefined);
  try {
    const reading = new AbortController();
    const spooling = spoolArchive(async () => addAbortSignal(reading.signal, await source.openArchive()), dir, source.archiveName, {
      selector,
      scope: spoolScope(request.filters),
      // A dry run parses every item for its plan: nothing to gain.
      prepare: request.dryRun ? undefined : earlyPreparation(preparationSettings(request)),
      maxItemBytes: options.maxItemBytes,
    });
    spooling.catch(() => undefined);
    try {
      await env.checks;
    } catch (err) {
      reading.abort(err);
      await spooling.then(
        (stopped) => stopped.spool.close(),
        () => undefined,
      );
      throw err;
    }
    const spooled = await spooling;
    spool = spooled.spool;
    env.logger.log('info', 'archive verified and read', { archive: source.archiveName, items: spooled.index.itemCount });
    env.onVerified?.();
    const discovery = await discovering;
    env.logger.log('debug', 'discovery loaded', { resources: discovery.all().length });
    const run = new RestoreRun(request, source, env, options, spooled.index, spool, discovery, loadDiscovery);
    let failureReason: string | undefined;
    try {
      await run.execute();
    } catch (err) {
      if (err instanceof CliError && err.exitCode === 2) throw err;
      failureReason = errorMessage(err);
      env.logger.log('error', 'restore failed', { error: failureReason });
    }
    return run.outcome(startTime, now(), failureReason);
  } finally {
    await spool?.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
