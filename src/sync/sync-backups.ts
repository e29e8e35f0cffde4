import type { BackupObjectView } from '../cluster-records/backup-object.js';
import { BackupObjects } from '../cluster-records/backup-objects.js';
import { mirrorsRecordOf } from '../cluster-records/record-mirror.js';
import { isConflict } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { OwnerReference } from '../kube/types.js';
import { scheduleNameLabel } from '../install/api-group.js';
import { parseTemplate, templateAnnotation } from '../schedule/backup-template.js';
import { ScheduleClient } from '../schedule/schedule-client.js';
import { BackupRepository } from '../storage/backup-repository.js';
import type { ObjectStore } from '../storage/object-store.js';

export interface SyncReport {
  /** `Backup` objects made from records that had none. */
  created: string[];
  /** Objects whose status was brought back to the record's. */
  updated: string[];
  /** Objects of ended backups of this location whose records are gone from storage: deleted. */
  deleted: string[];
  /** Objects that pointed at an owner that no longer exists: the reference was removed. */
  ownerReferencesDropped: string[];
  unchanged: number;
  /** Records that exist but cannot be read: reported, never mirrored. */
  unreadable: { name: string; error: string }[];
}

interface ScheduleOwner {
  ref: OwnerReference;
  ownsBackups: boolean;
}

/**
 * `kubectl backup sync`: the storage location's records mirrored into `Backup` objects
 * (storage is the source of truth): an object of this location whose backup ended and whose
 * record is gone (a delete or gc from another cluster sharing the bucket) is deleted, as
 * Velero's sync does; objects of running or failed backups, which have no record yet or never
 * will, are left. A schedule's backups get an ownerReference to its CronJob
 * only while that CronJob exists and asks for it; a reference to an owner that is gone is
 * removed, because the garbage collector deletes any object whose owners are all gone, and
 * sync would then recreate it: the two would fight forever.
 */
export async function syncBackups(client: KubeClient, namespace: string, store: ObjectStore, locationReference: string): Promise<SyncReport> {
  const report: SyncReport = { created: [], updated: [], deleted: [], ownerReferencesDropped: [], unchanged: 0, unreadable: [] };
  const repository = new BackupRepository(store);
  const { records, unreadable } = await repository.list();
  report.unreadable = unreadable.map((u) => ({ name: u.name, error: u.error.message }));
  const objects = new BackupObjects(client, namespace);
  const existing = new Map((await objects.list()).map((o) => [o.name, o]));
  const owners = await scheduleOwners(client, namespace);
  const liveUids = new Set([...owners.values()].map((o) => o.ref.uid));

  for (const record of records) {
    const name = record.metadata.name;
    const object = existing.get(name);
    if (!object) {
      const owner = owners.get(record.metadata.labels[scheduleNameLabel] ?? '');
      // The location as this cluster names it, not as the cluster that wrote the record did (the
      // same bucket may be "default" there): else the sync of this cluster's location of that name
      // would take the object for one whose record is gone, and the two syncs would fight.
      const spec = { ...record.spec, storageLocation: locationReference };
      await objects.create({ ...record.metadata, spec, ...(owner?.ownsBackups ? { ownerReferences: [owner.ref] } : {}) });
      await objects.patchStatus(name, { ...record.status });
      report.created.push(name);
      continue;
    }
    let changed = false;
    const refs = object.ownerReferences;
    const kept = refs.filter((r) => !(r.apiVersion === 'batch/v1' && r.kind === 'CronJob' && !liveUids.has(r.uid)));
    if (kept.length !== refs.length) {
      await objects.setOwnerReferences(name, kept);
      report.ownerReferencesDropped.push(name);
      changed = true;
    }
    if (object.status.phase !== record.status.phase) {
      await objects.patchStatus(name, { ...record.status });
      report.updated.push(name);
      changed = true;
    }
    if (!changed) report.unchanged++;
  }
  const stored = new Set([...records.map((r) => r.metadata.name), ...unreadable.map((u) => u.name)]);
  for (const object of existing.values()) {
    if (stored.has(object.name) || !mirrorsRecordOf(object, locationReference)) continue;
    // Records were listed before objects: a backup that ended in between has its record now.
    if (await repository.exists(object.name)) continue;
    if (await deleteUnlessReplaced(objects, object)) report.deleted.push(object.name);
  }
  return report;
}

/** The uid: a new run that took the name meanwhile keeps its object. */
async function deleteUnlessReplaced(objects: BackupObjects, object: BackupObjectView): Promise<boolean> {
  try {
    return await objects.delete(object.name, object.uid);
  } catch (err) {
    if (isConflict(err)) return false;
    throw err;
  }
}

/** The schedules that exist now, by name, with whether their backups are to be owned by them. */
async function scheduleOwners(client: KubeClient, namespace: string): Promise<Map<string, ScheduleOwner>> {
  const owners = new Map<string, ScheduleOwner>();
  for (const cronJob of await new ScheduleClient(client, namespace).list()) {
    const name = cronJob.metadata.name ?? '';
    let ownsBackups = false;
    try {
      ownsBackups = parseTemplate(cronJob.metadata.annotations?.[templateAnnotation], name).useOwnerReferencesInBackup;
    } catch {
      // A broken template owns nothing.
    }
    owners.set(name, { ref: { apiVersion: 'batch/v1', kind: 'CronJob', name, uid: cronJob.metadata.uid ?? '' }, ownsBackups });
  }
  return owners;
}
