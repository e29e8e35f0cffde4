import { BadInputError } from '../errors.js';
import { isAlreadyExists, isConflict } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { OwnerReference } from '../kube/types.js';
import { backupObjectManifest, viewBackupObject, type BackupObjectIdentity, type BackupObjectView } from './backup-object.js';
import { runProcessGone } from './backup-object-liveness.js';
import { takeoverRefusal } from './backup-object-takeover.js';
import { newBackupRun, runAnnotations, type BackupRun } from './backup-run.js';
import { OwnObjects } from './own-objects.js';
import { localProcessTable, type ProcessTable } from './process-table.js';

/** The `Backup` objects of the tool namespace; only where the CRDs are installed (see available). */
export class BackupObjects extends OwnObjects {
  constructor(
    client: KubeClient,
    namespace: string,
    private readonly now: () => Date = () => new Date(),
    private readonly processes: () => ProcessTable = localProcessTable,
  ) {
    super(client, namespace, 'backups');
  }

  /** Every object, or those matching the label selector. */
  async list(labelSelector?: string): Promise<BackupObjectView[]> {
    return (await this.items(labelSelector)).map(viewBackupObject);
  }

  async get(name: string): Promise<BackupObjectView | undefined> {
    const object = await this.item(name);
    return object && viewBackupObject(object);
  }

  /**
   * Creates the object. One already there under the name is replaced when it is what a run that
   * died left, or an ended backup of the same location whose record is gone (takeoverRefusal);
   * otherwise it is left as it is. Callers create either for a backup that has no record
   * yet, or from a record (sync), which the object mirrors.
   * @param run the run the object is made for (of `create`; by default this process, as for
   *   sync), recorded in it: an object of this run found under the name is the one it made (a
   *   POST retried after its answer was lost)
   * @throws BadInputError when the object under the name is another run's, still running, or
   *   mirrors a backup of another location
   */
  async create(identity: BackupObjectIdentity, run: BackupRun = newBackupRun(this.processes())): Promise<void> {
    const body = backupObjectManifest({ ...identity, annotations: { ...identity.annotations, ...runAnnotations(run) } }, this.namespace);
    try {
      await this.post(body);
      return;
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
    }
    const existing = await this.get(identity.name);
    if (existing) {
      const refusal = takeoverRefusal(existing, storageLocationOf(identity), this.namespace, this.now(), runProcessGone(existing, this.processes()));
      if (refusal) throw new BadInputError(refusal);
      try {
        await this.delete(identity.name, existing.uid);
      } catch (err) {
        if (isConflict(err)) throw this.raced(identity.name, err);
        throw err;
      }
    }
    try {
      await this.post(body);
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      throw this.raced(identity.name, err);
    }
  }

  /** Another run took the name between our read of its object and our write. */
  private raced(name: string, cause: unknown): BadInputError {
    return new BadInputError(`backup "${name}" was started by another run at the same time; see: kubectl backup describe ${name}`, { cause });
  }

  /** Replaces the owners; an empty list removes them all. */
  async setOwnerReferences(name: string, ownerReferences: readonly OwnerReference[]): Promise<void> {
    // In a merge patch null removes the field; a list replaces the whole list.
    await this.patch(name, { metadata: { ownerReferences: ownerReferences.length > 0 ? ownerReferences : null } });
  }
}

function storageLocationOf(identity: BackupObjectIdentity): string | undefined {
  const location: unknown = (identity.spec as { storageLocation?: unknown }).storageLocation;
  return typeof location === 'string' ? location : undefined;
}
