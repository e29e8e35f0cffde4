import { ApiError } from './api-error.js';
import type { Cluster } from './cluster.js';
import type { ControllerQueue } from './controller-queue.js';
import type { KubeObject, OwnerReference } from './object-meta.js';
import type { ResourceDef } from './resource-def.js';
import { parseStored, type StoredObject } from './stored-object.js';
import type { WriteContext } from './write-context.js';

const CTX: WriteContext = { manager: 'kube-controller-manager', dryRun: false };

/**
 * The garbage collector: dependents of a deleted owner go (Background), an owner deleted in
 * Foreground waits for its blocking dependents, Orphan strips the owner from its dependents,
 * and objects whose owners do not exist are collected.
 */
export class GarbageCollector {
  constructor(private readonly cluster: Cluster, private readonly queue: ControllerQueue, private readonly delayMs: number) {
    cluster.store.onEvent((event) => {
      const { object, previous } = event;
      if (event.type === 'DELETED') {
        this.schedule(`owner-gone/${object.uid}`, () => this.collectDependents(object.uid));
        for (const owner of object.ownerUids) this.schedule(`owner/${owner}`, () => this.processOwner(owner));
        return;
      }
      if (object.deleting && object.finalizers.some((f) => f === 'orphan' || f === 'foregroundDeletion')) {
        this.schedule(`owner/${object.uid}`, () => this.processOwner(object.uid));
      }
      const ownersChanged = !previous || previous.ownerUids.join() !== object.ownerUids.join();
      if (object.ownerUids.length > 0 && ownersChanged) {
        this.schedule(`dependent/${event.storage}/${object.key}`, () => this.checkOwners(event.storage, object.key));
      }
    });
  }

  private schedule(key: string, work: () => void): void {
    this.queue.schedule(`gc/${key}`, this.delayMs, work);
  }

  private defFor(storage: string): ResourceDef | undefined {
    return this.cluster.defForStorage(storage);
  }

  private deleteObject(storage: string, stored: StoredObject, policy: 'Background' | 'Foreground'): void {
    const def = this.defFor(storage);
    if (!def || stored.deleting) return;
    try {
      this.cluster.delete(this.cluster.resolvedAtStorageVersion(def), stored.namespace, stored.name, { propagationPolicy: policy }, CTX);
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) throw err;
    }
  }

  private rewriteOwners(storage: string, stored: StoredObject, keep: (ref: OwnerReference) => boolean): void {
    const def = this.defFor(storage);
    if (!def) return;
    this.cluster.mutate(def, stored.namespace, stored.name, (obj: KubeObject) => {
      const refs = (obj.metadata.ownerReferences ?? []).filter(keep);
      obj.metadata.ownerReferences = refs.length > 0 ? refs : undefined;
    }, CTX);
  }

  /** An owner is gone: each dependent with no remaining owner is deleted, others lose the reference. */
  private collectDependents(ownerUid: string): void {
    for (const { storage, key } of this.cluster.store.dependentsOf(ownerUid)) this.checkOwners(storage, key);
  }

  private ownerExists(uid: string): boolean {
    return this.cluster.store.byUid(uid) !== undefined;
  }

  private checkOwners(storage: string, key: string): void {
    const stored = this.cluster.store.getByKey(storage, key);
    if (!stored || stored.ownerUids.length === 0) return;
    const alive = stored.ownerUids.filter((uid) => this.ownerExists(uid));
    if (alive.length === 0) {
      this.deleteObject(storage, stored, 'Background');
    } else if (alive.length < stored.ownerUids.length) {
      this.rewriteOwners(storage, stored, (ref) => this.ownerExists(ref.uid));
    }
  }

  /** An owner being deleted with the orphan or foregroundDeletion finalizer. */
  private processOwner(ownerUid: string): void {
    const owner = this.cluster.store.byUid(ownerUid);
    if (!owner || !owner.object.deleting) return;
    const ownerDef = this.defFor(owner.storage);
    if (!ownerDef) return;
    const dependents = this.cluster.store.dependentsOf(ownerUid)
      .map(({ storage, key }) => ({ storage, stored: this.cluster.store.getByKey(storage, key) }))
      .filter((d): d is { storage: string; stored: StoredObject } => d.stored !== undefined);

    if (owner.object.finalizers.includes('orphan')) {
      for (const d of dependents) this.rewriteOwners(d.storage, d.stored, (ref) => ref.uid !== ownerUid);
      this.removeFinalizer(ownerDef, owner.object, 'orphan');
      return;
    }
    if (owner.object.finalizers.includes('foregroundDeletion')) {
      let blocking = 0;
      for (const d of dependents) {
        this.deleteObject(d.storage, d.stored, 'Foreground');
        const still = this.cluster.store.getByKey(d.storage, d.stored.key);
        if (!still) continue;
        const ref = (parseStored(still).metadata.ownerReferences ?? []).find((r) => r.uid === ownerUid);
        if (ref?.blockOwnerDeletion) blocking++;
      }
      if (blocking === 0) this.removeFinalizer(ownerDef, owner.object, 'foregroundDeletion');
    }
  }

  private removeFinalizer(def: ResourceDef, stored: StoredObject, finalizer: string): void {
    this.cluster.mutate(def, stored.namespace, stored.name, (obj) => {
      const rest = (obj.metadata.finalizers ?? []).filter((f) => f !== finalizer);
      obj.metadata.finalizers = rest.length > 0 ? rest : undefined;
    }, CTX);
  }
}
