import type { OwnerReference } from '../kube/types.js';

/**
 * Old uid → new uid of the owners this restore creates (or finds existing), so that
 * ownerReferences point at the restored owners. Only uids that some item names as an owner
 * are kept, so the map stays small however many items there are.
 */
export class OwnerUids {
  private readonly newUids = new Map<string, string>();

  constructor(
    /** Whether an owner (by old uid) is part of this restore: its new uid will be known. */
    private readonly willRestore: (oldUid: string) => boolean,
    private readonly referenced: ReadonlySet<string>,
  ) {}

  /** Whether some item names this uid as its owner: only then is the new uid worth knowing. */
  isOwner(oldUid: string | undefined): boolean {
    return oldUid !== undefined && this.referenced.has(oldUid);
  }

  record(oldUid: string | undefined, newUid: string | undefined): void {
    if (oldUid !== undefined && newUid !== undefined && this.referenced.has(oldUid)) this.newUids.set(oldUid, newUid);
  }

  /**
   * The references to keep now: those of restored owners, with their new uids. `waiting` are
   * references to owners that are restored later in the order; the item is created without
   * them and given them afterwards (see `rewrite` again once they exist). The rest, owners
   * not restored, are dropped (restore.md).
   */
  rewrite(refs: readonly OwnerReference[] | undefined): { refs: OwnerReference[]; waiting: number } {
    const kept: OwnerReference[] = [];
    let waiting = 0;
    for (const ref of refs ?? []) {
      const uid = this.newUids.get(ref.uid);
      if (uid !== undefined) kept.push({ ...ref, uid });
      else if (this.willRestore(ref.uid)) waiting++;
    }
    return { refs: kept, waiting };
  }
}
