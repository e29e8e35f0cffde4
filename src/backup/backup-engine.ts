import { Readable } from 'node:stream';
import pLimit from 'p-limit';
import zlib from 'node:zlib';
import { ArchiveWriter } from '../archive/archive-writer.js';
import { ChunkCoalescer } from '../archive/chunk-coalescer.js';
import { CliError, errorMessage, ExitCode, OperationError } from '../errors.js';
import { isForbidden } from '../kube/api-error.js';
import { serverVersion } from '../kube/cluster.js';
import type { KubeClient } from '../kube/client.js';
import { Discovery } from '../kube/discovery.js';
import { TeeLogger, type Logger } from '../log/logger.js';
import { noProgress, type ProgressReporter } from '../progress/progress-reporter.js';
import { BackupRepository } from '../storage/backup-repository.js';
import { backupKeys } from '../storage/layout.js';
import { RecordExistsError } from '../storage/repository-errors.js';
import type { ObjectStore, Retention, RetentionMode, StoredObject } from '../storage/object-store.js';
import type { BackupOutcome } from './backup-outcome.js';
import { planBackup, withCrds, type BackupPlan, type NamespaceScan, type PlannedType } from './backup-plan.js';
import { buildBackupRecord } from './backup-record-builder.js';
import type { BackupRequest } from './backup-request.js';
import { ResultsCollector } from './backup-results.js';
import { noStatusSink, type BackupStatusSink, type LiveBackupStatus } from './backup-status-sink.js';
import { LogCapture } from './log-capture.js';
import { isGlob } from './namespace-filter.js';
import { listCrdNames, scanNamespaces } from './namespace-scan.js';
import { ResourceListWriter, resourceListType } from './resource-list-writer.js';
import { checkSelectors } from './selector-check.js';
import { collectType, stopsTheBackup, type CollectedItem, type CollectorContext } from './type-collector.js';
import { runTypePipeline } from './type-pipeline.js';

export interface BackupEngineDeps {
  client: KubeClient;
  store: ObjectStore;
  /** The location as the record names it: its name, or the URL given with --storage. */
  storageLocation: string;
  /** The console. */
  logger: Logger;
  /**
   * The backup's log artifact. A caller that also routes other lines into it (the API
   * client's retry notices) passes its own and a logger that already writes to it.
   */
  logCapture?: LogCapture;
  progress?: ProgressReporter;
  status?: BackupStatusSink;
  /** Every object put under retention until the backup's expiry (S3 Object Lock). */
  objectLock?: RetentionMode;
  /** Aborting stops the backup: nothing is committed, what was written is removed. */
  signal?: AbortSignal;
}

/** Resource types listed at once, and pages each may hold ready ahead of the writer. */
const pipeline = { concurrency: 6, prefetch: 2 };

interface Tally {
  total: number;
  byResource: Record<string, number>;
}

/**
 * `backup create`: reads what the filters select and writes the archive and its artifacts
 * to storage, the record last (storage.md). Lists are streamed page by page into the gzip tar
 * and into the store's upload; memory does not grow with the number of items.
 *
 * Bad input (existing name, malformed selector, a name another run's Backup object holds)
 * throws BadInputError before anything is written; a cluster or storage failure throws
 * OperationError, shows Failed in the Backup object and leaves no record (the artifacts
 * written so far are removed). Per-list failures end the backup PartiallyFailed.
 */
export class BackupEngine {
  private readonly logger: Logger;
  private readonly capture: LogCapture;
  private readonly progress: ProgressReporter;
  private readonly status: BackupStatusSink;
  private readonly results = new ResultsCollector();
  private readonly abort = new AbortController();
  private live: LiveBackupStatus = { phase: 'New', totalItems: 0, itemsBackedUp: 0 };
  /** The keys this run wrote: all that a failure may remove (another run may write under the name). */
  private readonly stored = new Set<string>();

  constructor(
    private readonly request: BackupRequest,
    private readonly deps: BackupEngineDeps,
  ) {
    this.capture = deps.logCapture ?? new LogCapture();
    this.logger = deps.logCapture ? deps.logger : new TeeLogger([deps.logger, this.capture]);
    this.progress = deps.progress ?? noProgress;
    this.status = deps.status ?? noStatusSink;
    if (deps.signal) {
      const onAbort = () => this.abort.abort(deps.signal!.reason ?? new Error('interrupted'));
      if (deps.signal.aborted) onAbort();
      else deps.signal.addEventListener('abort', onAbort, { once: true });
    }
  }

  async run(): Promise<BackupOutcome> {
    const { request, deps } = this;
    const started = new Date();
    // A dry run writes no log artifact: its lines are not kept either.
    if (request.dryRun) this.capture.close();
    const expiration = request.ttlMs === 0 ? null : new Date(started.getTime() + request.ttlMs);
    this.logger.log('info', request.dryRun ? 'backup dry run starting' : 'backup starting', { backup: request.name, location: deps.store.describe(), cluster: deps.client.server });

    // The reads the plan needs go out together (each a round trip to the API server), and are
    // awaited in this order, so that the first problem in it is the one reported.
    const selectors = this.selectors();
    const cluster = this.readCluster();
    const selectorsChecked = checkSelectors(deps.client, selectors, request.filters.orSelectors.length > 0 ? '--or-selector' : '--selector', this.abort.signal);
    const namespaces = this.scanNamespaces();
    // Needed when custom resources are taken but not every CRD (plan.addCrds), which only the
    // plan tells; never with --include-cluster-resources=false.
    const crdNames = request.filters.includeClusterResources === false ? Promise.resolve(new Set<string>()) : listCrdNames(deps.client, request.pageSize, this.abort.signal);
    // Storage is asked about the name meanwhile (round trips on S3); what an unfinished earlier
    // run left is removed only once the plan stands, and never by a dry run.
    const repository = new BackupRepository(deps.store);
    const leftovers = repository.leftovers(request.name);
    for (const read of [cluster, selectorsChecked, namespaces, crdNames, leftovers]) read.catch(() => undefined);

    // Bad input changes nothing (cli.md): a malformed selector, or a name that has a record,
    // stops the run before its Backup object is made. Their other failures end it Failed below.
    await badInputIn([selectorsChecked, leftovers]);
    // From here the Backup object shows the run, whatever fails next: discovery too (backup.md,
    // a failed backup shows in `get`). Making it claims the name: another run's object (one
    // still reporting, or a backup of another location) is refused before storage is written.
    this.live = { ...this.live, startTimestamp: started.toISOString() };
    await this.status.begin({ ...this.live });

    let plan: BackupPlan;
    let version: string;
    try {
      const read = await cluster;
      version = read.version;
      await selectorsChecked;
      plan = planBackup(read.discovery, request.filters, await namespaces);

      const left = await leftovers;
      if (!request.dryRun && left.length > 0) {
        await repository.removeLeftovers(request.name, left);
        this.logger.log('info', 'removed what an unfinished earlier run of this backup left', { backup: request.name, objects: left.length });
      }
      plan = await this.addCrds(plan, read.discovery, selectors, crdNames);
    } catch (err) {
      // Nothing of this run is in storage yet: there is nothing to remove.
      await this.failed(err, false);
      throw this.asFailure(err);
    }
    for (const warning of plan.warnings) this.warn(warning);
    for (const error of plan.errors) this.error(error);
    this.logger.log('info', 'backup plan ready', { types: plan.types.length, namespaces: plan.includedNamespaces.length });

    this.live = { ...this.live, phase: 'InProgress', expiration: expiration?.toISOString() ?? null };
    // Not awaited: the Backup object's writes (two round trips where the CRDs are installed)
    // go on while the first pages are read; the sink keeps them in order.
    void this.report();

    const retention: Retention | undefined = deps.objectLock && expiration ? { mode: deps.objectLock, retainUntil: expiration } : undefined;
    let tally: Tally;
    let artifacts: StoredObject[] = [];
    try {
      if (request.dryRun) tally = await this.stream(plan, selectors, async () => undefined);
      else ({ tally, artifacts } = await this.write(plan, selectors, started, retention));
    } catch (err) {
      await this.failed(err, !request.dryRun);
      throw this.asFailure(err);
    }

    const completed = new Date();
    const phase = this.results.errorCount > 0 ? 'PartiallyFailed' : 'Completed';
    const outcome: BackupOutcome = {
      name: request.name,
      phase,
      dryRun: request.dryRun,
      location: deps.store.describe(),
      startTimestamp: started.toISOString(),
      completionTimestamp: completed.toISOString(),
      durationMs: completed.getTime() - started.getTime(),
      totalItems: tally.total,
      itemsByResource: tally.byResource,
      results: this.results.toJSON(),
      warnings: this.results.warningCount,
      errors: this.results.errorCount,
    };
    if (!request.dryRun) {
      const record = buildBackupRecord({
        request,
        storageLocation: deps.storageLocation,
        phase,
        started,
        completed,
        expiration,
        cluster: { server: deps.client.server, version: version },
        totalItems: tally.total,
        itemsByResource: tally.byResource,
        warnings: this.results.warningCount,
        errors: this.results.errorCount,
        artifacts,
      });
      try {
        await repository.commit(record, retention);
      } catch (err) {
        await this.failed(err, !(err instanceof CliError && err.exitCode === 2));
        throw err;
      }
      outcome.record = record;
    }
    this.live = { ...this.live, phase, completionTimestamp: completed.toISOString(), itemsBackedUp: tally.total, warnings: outcome.warnings, errors: outcome.errors };
    await this.report();
    return outcome;
  }

  private selectors(): (string | undefined)[] {
    const { labelSelector, orSelectors } = this.request.filters;
    if (orSelectors.length > 0) return [...orSelectors];
    return [labelSelector];
  }

  private async readCluster(): Promise<{ discovery: Discovery; version: string }> {
    const { client } = this.deps;
    try {
      const [discovery, version] = await Promise.all([Discovery.load(client), serverVersion(client)]);
      return { discovery, version: version.gitVersion ?? '' };
    } catch (err) {
      throw new OperationError(`cannot read the API discovery of ${client.server}: ${errorMessage(err)}`, { cause: err });
    }
  }

  private async scanNamespaces(): Promise<NamespaceScan> {
    const { client } = this.deps;
    try {
      return await scanNamespaces(client, this.request.pageSize, this.logger, this.abort.signal);
    } catch (err) {
      if (err instanceof CliError) throw err;
      if (isForbidden(err)) {
        // A user whose rights end at their own namespaces may still back them up by name.
        const named = this.request.filters.includeNamespaces;
        if (named.length === 0 || named.some(isGlob)) {
          throw new OperationError(`cannot list the namespaces of ${client.server} (forbidden): name the namespaces to back up in --include-namespaces, without globs`, { cause: err });
        }
        this.warn(`cannot list the namespaces (forbidden): the namespaces --include-namespaces names are taken as they are, each listed on its own; whether they exist, and their exclusion labels, are not checked`);
        return { all: [...named], excludedByLabel: new Set(), complete: false };
      }
      throw new OperationError(`cannot list the namespaces of ${client.server}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Custom resources need their CRD to be restored into an empty cluster (backup.md, 8). When
   * the CRD type is not taken whole, each custom resource type of the plan is probed (listed
   * until a first item passes every filter) and the CRDs of those with items are added; so
   * the CRDs still come, as cluster-scoped objects, before every namespaced item.
   */
  private async addCrds(plan: BackupPlan, discovery: Discovery, selectors: readonly (string | undefined)[], listed: Promise<Set<string>>): Promise<BackupPlan> {
    if (!plan.addCrds) return plan;
    const crdNames = await listed.catch((err: unknown) => {
      this.error(`cannot list CustomResourceDefinitions, so none is added for custom resources: ${errorMessage(err)}`);
      return new Set<string>();
    });
    const custom = plan.types.filter((type) => crdNames.has(type.key));
    const needed = new Set<string>();
    // Types are probed together, as the listing lists them: one after another, a cluster with
    // many CRDs made a backup of a few namespaces wait for a LIST per type and namespace in turn.
    const limit = pLimit(pipeline.concurrency);
    await Promise.all(
      custom.map((type) =>
        limit(async () => {
          const probe = collectType(type, { ...this.collectorContext(selectors), quiet: true });
          try {
            for await (const batch of probe) {
              if (batch.length > 0) {
                needed.add(type.key);
                break;
              }
            }
          } catch (err) {
            if (stopsTheBackup(err, { signal: this.abort.signal })) throw err;
            // The real listing reports the failure; the CRD is added to be safe.
            needed.add(type.key);
          }
        }),
      ),
    );
    if (needed.size > 0) this.logger.log('info', 'adding the CRDs of custom resources in the backup', { crds: [...needed].sort().join(',') });
    return withCrds(plan, discovery, needed);
  }

  private collectorContext(selectors: readonly (string | undefined)[]): CollectorContext {
    return {
      client: this.deps.client,
      pageSize: this.request.pageSize,
      selectors,
      logger: this.logger,
      results: this.results,
      signal: this.abort.signal,
      onDiscovered: (count) => {
        this.progress.expect(count);
        this.live.totalItems += count;
      },
    };
  }

  /** Lists every planned type and hands its items, page by page in archive order, to `write`. */
  private async stream(plan: BackupPlan, selectors: readonly (string | undefined)[], write: (type: PlannedType, batch: CollectedItem[]) => Promise<void>): Promise<Tally> {
    const tally: Tally = { total: 0, byResource: {} };
    const ctx = this.collectorContext(selectors);
    await runTypePipeline(
      plan.types,
      (type) => collectType(type, ctx),
      async (type, batch) => {
        if (this.abort.signal.aborted) throw this.abort.signal.reason ?? new Error('interrupted');
        await write(type, batch);
        tally.total += batch.length;
        tally.byResource[type.key] = (tally.byResource[type.key] ?? 0) + batch.length;
        this.progress.advance(batch.length);
        this.live.itemsBackedUp = tally.total;
        void this.report();
      },
      pipeline,
      (type) => this.progress.stage(type.key),
    );
    this.logger.log('info', 'items collected', { items: tally.total, resources: Object.keys(tally.byResource).length });
    return tally;
  }

  /**
   * The artifacts, streamed: archive, resource list and log are uploaded while items flow
   * (each a streaming put: a multipart upload on S3), then the results. A failed put aborts
   * the others and the listing.
   */
  private async write(plan: BackupPlan, selectors: readonly (string | undefined)[], started: Date, retention: Retention | undefined): Promise<{ tally: Tally; artifacts: StoredObject[] }> {
    const { store } = this.deps;
    const keys = backupKeys(this.request.name);
    const putOptions = { signal: this.abort.signal, ...(retention ? { retention } : {}) };
    const archive = new ArchiveWriter({ mtime: started });
    // Both get many small writes: coalesced, so that zlib sees large chunks.
    const listStream = new ChunkCoalescer();
    const resourceList = new ResourceListWriter(listStream);
    const logStream = new ChunkCoalescer();
    this.capture.attach(logStream);

    const failOnError = (put: Promise<StoredObject>) => {
      const failing = put.then(
        (object) => {
          this.stored.add(object.key);
          return object;
        },
        (err: unknown) => {
          this.abort.abort(err);
          throw err;
        },
      );
      // Awaited below once the items are written (or settled on failure); a put that fails
      // before then must not be an unhandled rejection meanwhile, which ends the process.
      failing.catch(() => undefined);
      return failing;
    };
    const puts = [
      failOnError(store.put(keys.archive, archive.output, { ...putOptions, contentType: 'application/gzip' })),
      failOnError(store.put(keys.resourceList, gzipped(listStream), { ...putOptions, contentType: 'application/gzip' })),
      failOnError(store.put(keys.logs, gzipped(logStream), { ...putOptions, contentType: 'application/gzip' })),
    ];
    try {
      const tally = await this.stream(plan, selectors, async (type, batch) => {
        await archive.writeItems(batch);
        if (!resourceList.add(resourceListType(type.resource.groupVersion, type.resource.kind), batch.map((item) => item.listName))) await drained(listStream);
      });
      await archive.finish();
      resourceList.end();
      this.logger.log('info', 'archive written', { backup: this.request.name, items: tally.total, warnings: this.results.warningCount, errors: this.results.errorCount });
      this.capture.close();
      // The results are complete once the items are: stored while the other artifacts finish.
      const results = Readable.from([zlib.gzipSync(JSON.stringify(this.results.toJSON()))]);
      puts.push(failOnError(store.put(keys.results, results, { ...putOptions, contentType: 'application/gzip' })));
      const [archiveObject, listObject, logObject, resultsObject] = await Promise.all(puts);
      return { tally, artifacts: [archiveObject!, listObject!, resultsObject!, logObject!] };
    } catch (err) {
      const reason = this.abort.signal.reason instanceof Error ? this.abort.signal.reason : err instanceof Error ? err : new Error(String(err));
      this.abort.abort(reason);
      archive.abort(reason);
      listStream.destroy(reason);
      logStream.destroy(reason);
      await Promise.allSettled(puts);
      // The put that failed first says best what went wrong.
      throw reason;
    }
  }

  /**
   * Reports the failure and removes what this run wrote: without a record it is invisible anyway.
   * Only its own objects: another run writing under the same name (a refused put says so) keeps
   * its own. Nothing at all once a record stands under the name (one whose write failed only on
   * the way back): its artifacts are what it names.
   */
  private async failed(err: unknown, cleanUp: boolean): Promise<void> {
    const reason = errorMessage(err);
    this.logger.log('error', 'backup failed', { backup: this.request.name, error: reason });
    this.capture.close();
    this.live = { ...this.live, phase: 'Failed', completionTimestamp: new Date().toISOString(), failureReason: reason };
    await this.report();
    if (!cleanUp || this.stored.size === 0) return;
    const repository = new BackupRepository(this.deps.store);
    try {
      const left = await repository.leftovers(this.request.name);
      await repository.removeLeftovers(
        this.request.name,
        left.filter((key) => this.stored.has(key)),
      );
    } catch (cleanupErr) {
      if (cleanupErr instanceof RecordExistsError) return;
      this.logger.log('warn', 'could not remove the artifacts of the failed backup; kubectl backup gc removes them later', { error: errorMessage(cleanupErr) });
    }
  }

  /** What a failed run throws: bad input and its own errors as they are, anything else said to have failed this backup. */
  private asFailure(err: unknown): Error {
    return err instanceof CliError ? err : new OperationError(`backup "${this.request.name}" failed: ${errorMessage(err)}`, { cause: err });
  }

  private warn(message: string): void {
    this.results.warn(message);
    this.logger.log('warn', message);
  }

  private error(message: string): void {
    this.results.error(message);
    this.logger.log('error', message);
  }

  private async report(): Promise<void> {
    try {
      await this.status.update({ ...this.live });
    } catch (err) {
      this.logger.log('debug', 'could not update the backup status', { error: errorMessage(err) });
    }
  }
}

/** Waits for the checks; the first to find bad input (exit 2) is thrown, their other failures are left to the caller. */
async function badInputIn(checks: readonly Promise<unknown>[]): Promise<void> {
  for (const settled of await Promise.allSettled(checks)) {
    if (settled.status === 'rejected' && settled.reason instanceof CliError && settled.reason.exitCode === ExitCode.BadInput) throw settled.reason;
  }
}

/** The gzip of a stream; an error on either side reaches the other. */
function gzipped(source: Readable): Readable {
  const gzip = zlib.createGzip();
  source.on('error', (err) => gzip.destroy(err));
  // Its reader is a put, which may have failed and gone before the backup stops everything;
  // an 'error' event without a listener would be thrown.
  gzip.on('error', () => undefined);
  return source.pipe(gzip);
}

function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.once('drain', resolve));
}
