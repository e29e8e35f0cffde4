import { restoreEnded, type RestoreObjects, type RestoreObjectView } from '../cluster-records/restore-objects.js';
import { BadInputError, errorMessage } from '../errors.js';
import type { Logger } from '../log/logger.js';
import type { RestoreRepository } from '../storage/restore-repository.js';

export interface RestoreDeletionSources {
  restores: RestoreRepository;
  /** The tool namespace's `Restore` objects; rejects where there is no cluster to reach. */
  objects: () => Promise<RestoreObjects>;
  /** The location: `reference` as Restore objects name it, `label` as messages do. */
  location: { readonly reference: string; readonly label: string };
  toolNamespace: string;
  logger: Logger;
}

/** The restores `restore delete` deletes, and which of them have only their `Restore` object. */
export interface RestoreDeletion {
  readonly names: readonly string[];
  /** Restores named that have no record, only an ended object: a run that could not write its record. */
  readonly objectOnly: ReadonlyMap<string, RestoreObjectView>;
}

/**
 * Checks every name before anything is deleted: each must have a record, or an ended `Restore`
 * object of this location (bad input otherwise, exit 2). `all` takes every record.
 */
export async function selectRestores(given: readonly string[], all: boolean, sources: RestoreDeletionSources): Promise<RestoreDeletion> {
  const { restores } = sources;
  const objectOnly = new Map<string, RestoreObjectView>();
  for (const name of given) {
    // A record that is there but cannot be read is refused here (get throws), before the others go.
    if ((await restores.get(name)) !== undefined) continue;
    const object = await objectWithoutRecord(name, sources);
    if (!object) throw await restores.notFound(name);
    objectOnly.set(name, object);
  }
  return { names: all ? await restores.names() : given, objectOnly };
}

/**
 * Deletes one selected restore: its record and artifacts, then its `Restore` object where there
 * is one; or the object alone for a restore that has no record. Restored objects stay.
 * @returns what was deleted
 */
export async function deleteRestore(name: string, deletion: RestoreDeletion, sources: RestoreDeletionSources): Promise<'record' | 'object only'> {
  const object = deletion.objectOnly.get(name);
  if (object) {
    await (await sources.objects()).delete(name, object.uid);
    return 'object only';
  }
  await sources.restores.delete(name);
  try {
    await (await sources.objects()).delete(name);
  } catch (err) {
    // Without a cluster or the CRDs there is no mirror to delete.
    sources.logger.log('debug', 'no Restore object deleted', { restore: name, reason: errorMessage(err) });
  }
  return 'record';
}

/**
 * The `Restore` object of a restore that has no record in this location, when there is one.
 * One of another location mirrors a restore there; one still InProgress may be running
 * (restore objects have no heartbeat): refused, with the way out for a run that was killed.
 */
async function objectWithoutRecord(name: string, sources: RestoreDeletionSources): Promise<RestoreObjectView | undefined> {
  let object: RestoreObjectView | undefined;
  try {
    const objects = await sources.objects();
    object = (await objects.available()) ? await objects.ofLocation(name, sources.location.reference) : undefined;
  } catch (err) {
    sources.logger.log('debug', 'no Restore object read', { restore: name, reason: errorMessage(err) });
    return undefined;
  }
  if (!object) return undefined;
  if (!restoreEnded(object)) {
    throw new BadInputError(
      `restore "${name}" has no record in ${sources.location.label} and its Restore object is ${object.phase ?? 'New'}: it may still be running; if its run was killed, delete the object with: kubectl delete restore ${name} -n ${sources.toolNamespace}`,
    );
  }
  return object;
}
