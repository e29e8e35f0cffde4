import { BadInputError, errorMessage } from '../errors.js';
import type { BackupObjectView } from '../cluster-records/backup-object.js';
import { runProcessGone, stoppedReportingAt } from '../cluster-records/backup-object-liveness.js';
import { recordedRun } from '../cluster-records/backup-run.js';
import { localProcessTable, type ProcessTable } from '../cluster-records/process-table.js';
import { mirrorsRecordOf } from '../cluster-records/record-mirror.js';
import { BackupObjects } from '../cluster-records/backup-objects.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { BackupRecord } from '../storage/backup-record.js';
import { BackupRepository } from '../storage/backup-repository.js';
import type { ObjectStore } from '../storage/object-store.js';
import { RecordNotFoundError } from '../storage/repository-errors.js';
import type { LiveBackup, BackupEntry } from './backup-entry.js';
import { entryStarted } from './backup-entry.js';

export interface BackupCatalogOptions {
  /** The cluster's `Backup` objects; undefined without a cluster or without the CRDs. */
  readonly objects?: BackupObjects;
  /** The location as records and objects name it (its name, or its URL): objects of other locations are left out. */
  readonly locationReference: string;
  /** How messages name the location: `location "default"`, or its URL. */
  readonly locationLabel: string;
  readonly logger: Logger;
  readonly now?: () => Date;
  /** The processes of this machine, to tell a run killed here at once (default: this machine's). */
  readonly processes?: () => ProcessTable;
}

export interface BackupListing {
  /** Newest first. */
  readonly backups: BackupEntry[];
  /** Records that exist but cannot be read; reported, never shown as backups. */
  readonly unreadable: { readonly name: string; readonly error: Error }[];
  /** Velero's backups in the location, which are not this tool's (RecordListing). */
  readonly veleroOnly: string[];
}

/**
 * The backups of one storage location (backup.md, Records and results): the records in storage
 * are the truth, read with bounded concurrency by the repository; `Backup` objects add backups
 * that have no record yet — running, or ended Failed before writing one. An object whose
 * backup has a record adds nothing: the record wins.
 */
export class BackupCatalog {
  private readonly now: () => Date;

  /** The catalog of a location: its records, and its `Backup` objects where there is a cluster. */
  static forLocation(location: { store: ObjectStore; reference: string; label: string }, cluster: { client?: KubeClient | undefined; namespace: string; logger: Logger }): BackupCatalog {
    const repository = new BackupRepository(location.store, { locationLabel: location.label });
    return new BackupCatalog(repository, {
      ...(cluster.client ? { objects: new BackupObjects(cluster.client, cluster.namespace) } : {}),
      locationReference: location.reference,
      locationLabel: location.label,
      logger: cluster.logger,
    });
  }

  constructor(
    readonly repository: BackupRepository,
    private readonly options: BackupCatalogOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  /** The cluster's `Backup` objects the catalog reads; undefined without a cluster. */
  get objects(): BackupObjects | undefined {
    return this.options.objects;
  }

  async list(): Promise<BackupListing> {
    const [{ records, unreadable, veleroOnly }, objects] = await Promise.all([this.repository.list(), this.liveObjects()]);
    const stored = new Set([...records.map((r) => r.metadata.name), ...unreadable.map((u) => u.name)]);
    const backups: BackupEntry[] = records.map((record) => ({ source: 'storage', name: record.metadata.name, record }));
    for (const object of objects) if (!stored.has(object.name)) backups.push(this.live(object));
    return { backups: backups.sort(newestFirst), unreadable, veleroOnly };
  }

  /** The backup by name, from its record or its object; undefined when neither exists. */
  async find(name: string): Promise<BackupEntry | undefined> {
    const record = await this.repository.get(name);
    if (record) return { source: 'storage', name, record };
    const object = await this.liveObject(name);
    return object ? this.live(object) : undefined;
  }

  /** @throws RecordNotFoundError (exit 2) naming the location and `kubectl backup get` */
  async require(name: string): Promise<BackupEntry> {
    const entry = await this.find(name);
    if (!entry) throw await this.notFound(name);
    return entry;
  }

  /**
   * The record of a backup that has one: logs, download and verify read artifacts, which only
   * a finished backup has, as does a restore. A backup still running is bad input with its own
   * message, which `consequence` completes (what cannot be done).
   */
  async requireRecord(name: string, consequence?: string): Promise<BackupRecord> {
    const entry = await this.require(name);
    if (entry.source === 'storage') return entry.record;
    const state = entry.phase === 'Failed' ? 'ended Failed without data in storage' : `is ${entry.phase} and has no data in storage yet`;
    throw new BadInputError(`backup "${name}" ${state}${consequence ? `: ${consequence}` : ''}; see: kubectl backup describe ${name}`);
  }

  /**
   * The object of a backup of this location that ended (Completed, PartiallyFailed) and whose
   * record is gone from storage: no backup any more, but its object is still there to delete.
   * Call it for a name without a record; undefined when there is no such object.
   */
  goneFromStorage(name: string): Promise<BackupObjectView | undefined> {
    return this.objectNamed(name, (object) => mirrorsRecordOf(object, this.options.locationReference));
  }

  notFound(name: string): Promise<RecordNotFoundError> {
    return this.repository.notFound(name, this.options.locationLabel);
  }

  /** Objects of this location only; when they cannot be read, storage alone answers. */
  private async liveObjects(): Promise<BackupObjectView[]> {
    const { objects } = this.options;
    if (!objects) return [];
    try {
      if (!(await objects.available())) return [];
      return (await objects.list()).filter((object) => this.ofThisLocation(object));
    } catch (err) {
      this.options.logger.log('warn', 'cannot read Backup objects from the cluster; listing what storage holds', { error: errorMessage(err) });
      return [];
    }
  }

  private liveObject(name: string): Promise<BackupObjectView | undefined> {
    return this.objectNamed(name, (object) => this.ofThisLocation(object));
  }

  /** The object of that name when `accept` takes it; when objects cannot be read, storage alone answers. */
  private async objectNamed(name: string, accept: (object: BackupObjectView) => boolean): Promise<BackupObjectView | undefined> {
    const { objects } = this.options;
    if (!objects) return undefined;
    try {
      if (!(await objects.available())) return undefined;
      const object = await objects.get(name);
      return object && accept(object) ? object : undefined;
    } catch (err) {
      this.options.logger.log('warn', 'cannot read the Backup object from the cluster', { backup: name, error: errorMessage(err) });
      return undefined;
    }
  }

  /**
   * An object whose phase is final but whose record is missing was deleted from storage (or
   * synced from another location): it is no backup of this location. Objects of running or
   * failed backups count.
   */
  private ofThisLocation(object: BackupObjectView): boolean {
    if (object.status.phase === 'Completed' || object.status.phase === 'PartiallyFailed') return false;
    return object.storageLocation === this.options.locationReference;
  }

  private live(object: BackupObjectView): LiveBackup {
    const failed = (failureReason: string): LiveBackup => ({ source: 'cluster', name: object.name, object, phase: 'Failed', failureReason });
    // A run of this machine whose process is gone was killed, whatever the clock says.
    const run = recordedRun(object);
    if ((object.status.phase === 'New' || object.status.phase === 'InProgress') && run && runProcessGone(object, (this.options.processes ?? localProcessTable)())) {
      return failed(`the process taking the backup (pid ${run.pid} on ${run.host}) ended without finishing it (killed?); it left no record, and kubectl backup gc removes what it wrote`);
    }
    // A run that stopped reporting was killed: shown Failed.
    const last = stoppedReportingAt(object, this.now());
    if (last !== undefined) return failed(`the process taking the backup stopped reporting at ${last} (killed?); it left no record, and kubectl backup gc removes what it wrote`);
    return { source: 'cluster', name: object.name, object, phase: object.status.phase };
  }
}

function newestFirst(a: BackupEntry, b: BackupEntry): number {
  const byTime = (Date.parse(entryStarted(b) ?? '') || 0) - (Date.parse(entryStarted(a) ?? '') || 0);
  return byTime !== 0 ? byTime : a.name.localeCompare(b.name);
}
