import { errorMessage } from '../errors.js';
import type { BackupObjects } from '../cluster-records/backup-objects.js';
import { restoreEnded, type RestoreObjectView } from '../cluster-records/restore-objects.js';
import type { Logger } from '../log/logger.js';
import type { BackupRepository } from '../storage/backup-repository.js';
import { recordKey } from '../storage/layout.js';
import { RecordLockedError, RecordNotFoundError } from '../storage/repository-errors.js';
import type { RestoreRepository } from '../storage/restore-repository.js';
import type { DeleteTarget } from './delete-selection.js';

export interface DeleteOutcome {
  readonly name: string;
  readonly result: 'deleted' | 'locked' | 'failed';
  /** Storage keys removed, the record first. */
  readonly removed: readonly string[];
  readonly backupObjectDeleted: boolean;
  /** Restores made from the backup whose records were deleted with it. */
  readonly restores: readonly string[];
  /** Restores made from the backup that had a `Restore` object and no record: the object was deleted. */
  readonly restoreObjects: readonly string[];
  /** locked: the date from which the store lets the backup be deleted, when it says. */
  readonly deletableFrom?: string;
  /** locked or failed: what happened; nothing else of the backup was removed when locked. */
  readonly message?: string;
  /** Problems after the backup itself was deleted (a restore record, an object): reported, not fatal. */
  readonly warnings: readonly string[];
}

export interface DeleteDeps {
  readonly backups: BackupRepository;
  readonly restores: RestoreRepository;
  /** The cluster's `Backup` objects; undefined without a cluster. */
  readonly objects?: BackupObjects;
  /** Deletes a `Restore` object; undefined without a cluster. */
  readonly deleteRestoreObject?: (name: string, uid?: string) => Promise<boolean>;
  /**
   * This location's `Restore` objects made from a backup, records or not (a restore that
   * failed to write its record left only its object); undefined where they cannot be listed
   * (a scheduled run may only delete them): then only the objects of restores with records go.
   */
  readonly restoreObjectsOf?: (backupName: string) => Promise<readonly RestoreObjectView[]>;
  readonly logger: Logger;
  readonly now?: () => Date;
}

/**
 * `kubectl backup delete` (backup.md, Deleting), once selectDeleteTargets has chosen the
 * backups, and gc for the expired ones. Per backup: its record
 * (so it disappears at once), its artifacts, its `Backup` object, and the records of the
 * restores made from it. A store that keeps the record under object lock retention refuses:
 * that backup is reported with the date from which it can be deleted, and nothing of it is
 * removed; the others are deleted.
 */
export class BackupDeleter {
  private readonly now: () => Date;

  constructor(private readonly deps: DeleteDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** Deletes each target in turn; `onDone` sees each outcome as it comes. */
  async delete(targets: readonly DeleteTarget[], onDone: (outcome: DeleteOutcome) => void = () => undefined): Promise<DeleteOutcome[]> {
    // The restores' records are read when some are to go (a stored backup takes its restores'
    // records with it) or when Restore objects are to be looked at (restoreObjectsOf): only the
    // objects of restores without a record are deleted as object-only ones.
    const { byBackup: restoresByBackup, unreadable } =
      targets.some((t) => t.stored) || this.deps.restoreObjectsOf ? await this.restoresByBackup() : { byBackup: new Map<string, string[]>(), unreadable: new Set<string>() };
    const objectsAvailable = await this.objectsAvailable();
    const outcomes: DeleteOutcome[] = [];
    for (const target of targets) {
      const outcome = await this.deleteOne(target, restoresByBackup.get(target.name) ?? [], unreadable, objectsAvailable);
      outcomes.push(outcome);
      onDone(outcome);
    }
    return outcomes;
  }

  /** `unreadable`: the restores whose records exist but cannot be read (whose backup is unknown). */
  private async deleteOne(target: DeleteTarget, restoreNames: readonly string[], unreadable: ReadonlySet<string>, objectsAvailable: boolean): Promise<DeleteOutcome> {
    const { name } = target;
    const warnings: string[] = [];
    let removed: readonly string[] = [];
    if (target.stored) {
      try {
        const lockedUntil = await this.retainedUntil(name);
        if (lockedUntil) return locked(name, lockedUntil);
        const deleted = await this.deps.backups.delete(name);
        removed = deleted.removed;
        if (deleted.kept.length > 0) {
          warnings.push(`a Velero backup of the same name shares its directory: only its record was removed, the ${deleted.kept.length} other objects there were kept`);
        }
      } catch (err) {
        if (err instanceof RecordLockedError) return locked(name, err.retainUntil);
        // Deleted meanwhile (another delete, gc): what is left below still goes.
        if (!(err instanceof RecordNotFoundError)) return { name, result: 'failed', removed, backupObjectDeleted: false, restores: [], restoreObjects: [], message: errorMessage(err), warnings };
      }
    }
    let backupObjectDeleted = false;
    if (objectsAvailable && this.deps.objects) {
      try {
        backupObjectDeleted = await this.deps.objects.delete(name, target.objectUid);
      } catch (err) {
        warnings.push(`its Backup object could not be deleted: ${errorMessage(err)}`);
      }
    }
    const restores: string[] = [];
    for (const restore of restoreNames) {
      try {
        await this.deps.restores.delete(restore);
        restores.push(restore);
      } catch (err) {
        if (err instanceof RecordNotFoundError) continue;
        warnings.push(`the record of restore "${restore}" made from it could not be deleted: ${errorMessage(err)}`);
        continue;
      }
      if (objectsAvailable && this.deps.deleteRestoreObject) {
        await this.deps.deleteRestoreObject(restore).catch((err: unknown) => warnings.push(`the Restore object "${restore}" could not be deleted: ${errorMessage(err)}`));
      }
    }
    const restoreObjects = objectsAvailable ? await this.deleteObjectOnlyRestores(name, restoreNames, unreadable, warnings) : [];
    return { name, result: 'deleted', removed, backupObjectDeleted, restores, restoreObjects, warnings };
  }

  /**
   * The Restore objects of the backup's restores that have no record (those with one went with
   * it above; those whose record cannot be read stay, with it). One still InProgress is left:
   * nothing tells whether its run is alive.
   */
  private async deleteObjectOnlyRestores(backupName: string, withRecords: readonly string[], unreadable: ReadonlySet<string>, warnings: string[]): Promise<string[]> {
    const { restoreObjectsOf, deleteRestoreObject } = this.deps;
    if (!restoreObjectsOf || !deleteRestoreObject) return [];
    let objects: readonly RestoreObjectView[];
    try {
      objects = await restoreObjectsOf(backupName);
    } catch (err) {
      warnings.push(`the Restore objects of restores made from it could not be listed: ${errorMessage(err)}`);
      return [];
    }
    const deleted: string[] = [];
    for (const object of objects.filter((o) => !withRecords.includes(o.name) && !unreadable.has(o.name))) {
      if (!restoreEnded(object)) {
        warnings.push(`restore "${object.name}" made from it has no record and is ${object.phase ?? 'New'}: its Restore object stays, as its run may still be going`);
        continue;
      }
      try {
        // The uid: a restore of the same name started meanwhile is not ours to delete.
        if (await deleteRestoreObject(object.name, object.uid)) deleted.push(object.name);
      } catch (err) {
        warnings.push(`the Restore object "${object.name}" could not be deleted: ${errorMessage(err)}`);
      }
    }
    return deleted;
  }

  /**
   * Retention as the store reports it on the record, asked before deleting: on S3 with
   * versioning a plain delete "succeeds" by hiding a locked object behind a delete marker,
   * which would make the backup vanish while its data stays; asking first keeps it whole.
   */
  async retainedUntil(name: string): Promise<Date | undefined> {
    const info = await this.deps.backups.store.head(recordKey('backup', name));
    const until = info?.retention?.retainUntil;
    return until && until.getTime() > this.now().getTime() ? until : undefined;
  }

  /** The names of the restores with records, by backup, and those whose records cannot be read. */
  private async restoresByBackup(): Promise<{ byBackup: Map<string, string[]>; unreadable: Set<string> }> {
    const { records, unreadable } = await this.deps.restores.list();
    for (const { name, error } of unreadable) this.deps.logger.log('warn', 'restore record cannot be read; if it was made from a deleted backup it stays', { restore: name, error: error.message });
    const byBackup = new Map<string, string[]>();
    for (const record of records) byBackup.set(record.spec.backupName, [...(byBackup.get(record.spec.backupName) ?? []), record.metadata.name]);
    return { byBackup, unreadable: new Set(unreadable.map((u) => u.name)) };
  }

  private async objectsAvailable(): Promise<boolean> {
    if (!this.deps.objects) return false;
    try {
      return await this.deps.objects.available();
    } catch (err) {
      this.deps.logger.log('warn', 'cannot tell whether the Backup CRD is installed; no Backup object is deleted', { error: errorMessage(err) });
      return false;
    }
  }
}

function locked(name: string, until: Date | undefined): DeleteOutcome {
  const from = until?.toISOString();
  return {
    name,
    result: 'locked',
    removed: [],
    backupObjectDeleted: false,
    restores: [],
    restoreObjects: [],
    ...(from ? { deletableFrom: from } : {}),
    message: `backup "${name}" is kept by its storage under object lock retention${from ? ` and can be deleted from ${from}` : ''}; nothing of it was removed`,
    warnings: [],
  };
}
