import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { addAbortSignal, Readable } from 'node:stream';
import zlib from 'node:zlib';
import { BadInputError, errorMessage, OperationError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import { interruptibleClient } from '../kube/interruptible-client.js';
import { TeeLogger, type Logger } from '../log/logger.js';
import { openVerifiedArtifact, verifyArtifact } from '../storage/artifact-integrity.js';
import { backupExpiry, type BackupRecord } from '../storage/backup-record.js';
import { backupKeys, restoreKeys } from '../storage/layout.js';
import type { ObjectStore, Retention, RetentionMode, StoredObject } from '../storage/object-store.js';
import { RECORD_API_VERSION } from '../storage/record-envelope.js';
import type { RestoreRecord, RestoreSpec } from '../storage/restore-record.js';
import { RestoreRepository } from '../storage/restore-repository.js';
import { templateFilters } from '../schedule/template-filters.js';
import { runRestore, type RestoreOptions, type RestoreOutcome } from './restore-engine.js';
import { backupNameLabel, labelValue } from './restore-labels.js';
import { GzipFile } from './gzip-file.js';
import { GzipLogFile } from './restore-log.js';
import { RestoredResourceList } from './restored-resource-list.js';
import { noRestoreStatus, withStatusProgress, type RestoreFailure, type RestoreStatusSink } from './restore-object.js';
import type { PlanEntry } from './restore-plan.js';
import type { RestoreRequest } from './restore-request.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';

export interface RestoreServiceDeps {
  client: KubeClient;
  /** The Kubernetes version of the target cluster, for the record. */
  clusterVersion: string;
  store: ObjectStore;
  /** How messages name the location: 'location "default"' or its URL. */
  locationLabel: string;
  /** False for a ReadOnly location: it is restored from, and the record stays out of it. */
  recordsWritable?: boolean;
  /**
   * The location's object lock: the restore's artifacts and record are put under retention
   * until the backup's expiry, as the backup's were (a restore goes when its backup does).
   */
  objectLock?: RetentionMode;
  /** The console; the restore's stored log gets every line at every level. */
  logger: Logger;
  status?: RestoreStatusSink;
  progress?: ProgressReporter;
  onPlan?: (entry: PlanEntry) => void;
  /**
   * Stops the restore (SIGINT, SIGTERM): the archive read and every request to the cluster end
   * with the signal's reason. Nothing more is created; the record and the Restore object say
   * Failed, with the reason, and count what was done before.
   */
  signal?: AbortSignal;
}

export interface RestoreResult {
  outcome: RestoreOutcome;
  /** The record; undefined for dry runs. */
  record?: RestoreRecord;
  /** Whether the record was stored (not in a dry run, nor in a ReadOnly location). */
  stored: boolean;
}

/**
 * `restore create` below the command line: checks the backup's artifacts, runs the restore,
 * then stores its resource list, results, log and record once (storage.md). Bad input — a restore name that
 * exists, an artifact that fails its check, a hostile archive — is thrown before anything is
 * created, and leaves nothing in storage either.
 */
export async function createRestore(request: RestoreRequest, backup: BackupRecord, deps: RestoreServiceDeps, options: RestoreOptions = {}): Promise<RestoreResult> {
  const { store } = deps;
  const restores = new RestoreRepository(store, { locationLabel: deps.locationLabel });
  const storeRecord = !request.dryRun && deps.recordsWritable !== false;
  const archiveKey = backupKeys(backup.metadata.name).archive;
  const archive = backup.status.artifacts.find((a) => a.key === archiveKey);
  if (!archive) throw new BadInputError(`backup "${backup.metadata.name}" has no archive in its record (expected ${archiveKey})`);
  // The name and the backup's other artifacts are checked together (round trips on S3), and
  // their failures reported in this order, while the archive is read and checked (runRestore).
  // All of it comes before any change.
  // Refuses a name with a record, and one whose directory holds anything (record-repository.ts).
  const nameFree = storeRecord ? restores.leftovers(request.name) : Promise.resolve([]);
  const verified = Promise.all(backup.status.artifacts.filter((a) => a !== archive).map((artifact) => verifyArtifact(store, artifact)));
  verified.catch(() => undefined);
  const checks = (async () => {
    await nameFree;
    await verified;
    deps.logger.log('debug', 'artifacts verified', { backup: backup.metadata.name, artifacts: backup.status.artifacts.length - 1 });
  })();
  checks.catch(() => undefined);

  const dir = await fs.promises.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'kubectl-backup-restore-log-'));
  const logFile = new GzipLogFile(path.join(dir, 'log.gz'));
  // Only a restore whose record is stored keeps its list: the record is what makes it readable.
  const listing = storeRecord ? listingFile(path.join(dir, 'resource-list.json.gz')) : undefined;
  try {
    const logger = new TeeLogger([deps.logger, logFile]);
    const status = request.dryRun ? noRestoreStatus : (deps.status ?? noRestoreStatus);
    const spec = restoreSpec(request);
    const metadata = { name: request.name, labels: { [backupNameLabel]: labelValue(backup.metadata.name) }, annotations: {} };
    const startTimestamp = new Date().toISOString();
    // The Restore object is made once the archive passed its checks (a refused archive leaves
    // none), and written while items are created; the sink finishes it after its other writes.
    const onVerified = () => void status.started({ metadata, spec }, startTimestamp);
    // A restore that ends without its record must not leave its object InProgress: it shows
    // Failed, with why (a sink never throws, so the original error is the one raised).
    const signal = deps.signal;
    const fail = async (failure: unknown, ran?: RestoreFailure['ran']): Promise<never> => {
      // Interrupted, what failed is whatever the interruption cut short: the reason is the signal's.
      const err: unknown = signal?.aborted ? signal.reason : failure;
      await status.failed({ failureReason: errorMessage(err), completionTimestamp: new Date().toISOString(), ...(ran ? { ran } : {}) });
      throw err;
    };
    const outcome = await runRestore(
      request,
      {
        archiveName: archiveKey,
        openArchive: async () => {
          const stream = await openVerifiedArtifact(store, archive);
          return signal ? addAbortSignal(signal, stream) : stream;
        },
        orderedResources: Object.fromEntries(Object.entries(backup.spec.orderedResources).map(([resource, items]) => [resource, items.split(',').map((i) => i.trim()).filter((i) => i !== '')])),
      },
      {
        client: signal ? interruptibleClient(deps.client, signal) : deps.client,
        logger,
        progress: withStatusProgress(deps.progress, status),
        ...(deps.onPlan ? { onPlan: deps.onPlan } : {}),
        ...(listing ? { resourceList: listing.list } : {}),
        onVerified,
        checks,
      },
      options,
    ).catch(fail);
    if (request.dryRun) return { outcome, stored: false };
    const keys = restoreKeys(request.name);
    const record = (artifacts: StoredObject[]): RestoreRecord => ({
        apiVersion: RECORD_API_VERSION,
        kind: 'Restore',
        metadata,
        spec,
        status: {
          phase: outcome.phase,
          startTimestamp: outcome.startTime.toISOString(),
          completionTimestamp: outcome.completionTime.toISOString(),
          cluster: { server: deps.client.server, version: deps.clusterVersion },
          counts: outcome.counts,
          countsByResource: outcome.countsByResource,
          warnings: outcome.warningCount,
          errors: outcome.errorCount,
          ...(outcome.failureReason !== undefined ? { failureReason: outcome.failureReason } : {}),
          artifacts,
        },
      });
    if (!listing) {
      deps.logger.log('warn', 'the location is ReadOnly: the restore record is not stored in it', { location: deps.locationLabel });
      const unstored = record([]);
      await status.finished(unstored);
      return { outcome, record: unstored, stored: false };
    }
    let committed: RestoreRecord;
    try {
      await logFile.close();
      await listing.list.end();
      await listing.file.close();
      const results = zlib.gzipSync(JSON.stringify({ warnings: outcome.warnings, errors: outcome.errors }));
      const retention = restoreRetention(deps, backup, new Date());
      const putOptions = { contentType: 'application/gzip', ...(retention ? { retention } : {}) };
      // The artifacts are stored together (each a round trip on S3), the record after them.
      committed = record(
        await Promise.all([
          store.put(keys.resourceList, fs.createReadStream(listing.file.file), putOptions),
          store.put(keys.results, Readable.from([results]), putOptions),
          store.put(keys.logs, fs.createReadStream(logFile.file), putOptions),
        ]),
      );
      await restores.commit(committed, retention);
      deps.logger.log('debug', 'restore record stored', { restore: request.name, location: deps.locationLabel });
    } catch (err) {
      // Awaited: returned as is, its rejection would go unhandled while finally cleans up.
      return await fail(new OperationError(`restore "${request.name}" ran (phase ${outcome.phase}), but its record could not be written to ${deps.locationLabel}: ${errorMessage(err)}`, { cause: err }), record([]).status);
    }
    await status.finished(committed);
    return { outcome, record: committed, stored: true };
  } finally {
    await logFile.close();
    await listing?.file.close();
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

/**
 * The retention of the restore's objects on an object-lock location: the backup's expiry. A
 * backup that never expires, or whose expiry has passed (gc has not removed it yet), gives no
 * date S3 would take: the objects are put without one, under the bucket's default retention
 * if it has one, and the log says so.
 */
function restoreRetention(deps: RestoreServiceDeps, backup: BackupRecord, now: Date): Retention | undefined {
  if (!deps.objectLock) return undefined;
  const expiry = backupExpiry(backup);
  if (expiry && expiry.getTime() > now.getTime()) return { mode: deps.objectLock, retainUntil: expiry };
  deps.logger.log('warn', `backup "${backup.metadata.name}" ${expiry ? 'has expired' : 'never expires'}: the restore's objects are stored without a retention of their own`, { location: deps.locationLabel });
  return undefined;
}

/** The resource list, gzipped into a local file as items finish. */
function listingFile(file: string): { file: GzipFile; list: RestoredResourceList } {
  const gzip = new GzipFile(file);
  return { file: gzip, list: new RestoredResourceList(gzip.input) };
}

function restoreSpec(request: RestoreRequest): RestoreSpec {
  // The record keeps the filters in Velero's names, as a backup's does.
  const filters = templateFilters(request.filters);
  return {
    backupName: request.backupName,
    scheduleName: request.scheduleName ?? null,
    ...filters,
    namespaceMapping: Object.fromEntries(request.namespaceMappings),
    existingResourcePolicy: request.existingResourcePolicy,
    preserveNodePorts: request.preserveNodePorts,
    includeOwnedResources: request.includeOwnedResources,
  };
}
