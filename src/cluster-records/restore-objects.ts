import type { KubeClient } from '../kube/client.js';
import { isRecord, type KubeObject } from '../kube/types.js';
import { backupNameLabel, labelValue } from '../restore/restore-labels.js';
import { OwnObjects } from './own-objects.js';

/**
 * What commands read of a `Restore` object. Anyone who may edit objects in the tool namespace
 * may edit this one, so its fields are checked and only trusted to find it.
 */
export interface RestoreObjectView {
  readonly name: string;
  readonly uid?: string;
  readonly backupName?: string;
  /** The location restored from, as its Backup objects name it; objects made before it was written have none. */
  readonly storageLocation?: string;
  /** Undefined before the run wrote its first status. */
  readonly phase?: string;
}

const endedPhases: readonly string[] = ['Completed', 'PartiallyFailed', 'Failed'];

/**
 * A restore whose run wrote its last phase. Restore objects have no heartbeat: one left
 * InProgress may be running, so it is never deleted from under a run by a command that
 * guesses; `kubectl delete restore` is there for a run that was killed.
 */
export function restoreEnded(object: RestoreObjectView): boolean {
  return object.phase !== undefined && endedPhases.includes(object.phase);
}

/** The `Restore` objects of the tool namespace; only where the CRDs are installed (see available). */
export class RestoreObjects extends OwnObjects {
  constructor(client: KubeClient, namespace: string) {
    super(client, namespace, 'restores');
  }

  async get(name: string): Promise<RestoreObjectView | undefined> {
    const object = await this.item(name);
    return object && viewRestoreObject(object);
  }

  /** The object of that name when it is of this location; one that names no location (made before they did) is no one's here. */
  async ofLocation(name: string, storageLocation: string): Promise<RestoreObjectView | undefined> {
    const object = await this.get(name);
    return object?.storageLocation === storageLocation ? object : undefined;
  }

  /**
   * The objects of restores made from the backup of this location, whether their records exist
   * or not. The label finds them; the spec decides, as a long name's label value is shortened.
   */
  async madeFrom(backupName: string, storageLocation: string): Promise<RestoreObjectView[]> {
    const objects = (await this.items(`${backupNameLabel}=${labelValue(backupName)}`)).map(viewRestoreObject);
    return objects.filter((object) => object.backupName === backupName && object.storageLocation === storageLocation);
  }
}

function viewRestoreObject(object: KubeObject): RestoreObjectView {
  const spec = isRecord(object.spec) ? object.spec : {};
  const status = isRecord(object.status) ? object.status : {};
  return {
    name: object.metadata.name ?? '',
    ...(object.metadata.uid ? { uid: object.metadata.uid } : {}),
    ...(typeof spec.backupName === 'string' ? { backupName: spec.backupName } : {}),
    ...(typeof spec.storageLocation === 'string' ? { storageLocation: spec.storageLocation } : {}),
    ...(typeof status.phase === 'string' ? { phase: status.phase } : {}),
  };
}

/**
 * Deletes the `Restore` object that mirrors a restore record, where there is one: deleting a
 * backup deletes the records of its restores, and their mirrors with them.
 * @returns false when there was no such object
 */
export function deleteRestoreObject(client: KubeClient, namespace: string, name: string): Promise<boolean> {
  return new RestoreObjects(client, namespace).delete(name);
}
