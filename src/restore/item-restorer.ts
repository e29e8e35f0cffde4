import { isAlreadyExists, KubeApiError } from '../kube/api-error.js';
import { parseJson } from '../kube/exact-json.js';
import type { KubeClient } from '../kube/client.js';
import { retriesNote } from '../kube/retry-policy.js';
import { isBeingDeleted, type KubeObject, type OwnerReference } from '../kube/types.js';
import { errorMessage } from '../errors.js';
import type { ActionContext } from './actions/restore-action.js';
import type { IndexedItem } from './archive-index.js';
import { existingMergeOf, jsonPatch, type ExistingMerge } from './existing-merge.js';
import { differingFields } from './existing-object.js';
import type { ItemSpool } from './item-spool.js';
import { isFatal, readOrUndefined } from './fatal-error.js';
import { ownCreate } from './own-create.js';
import type { OwnerUids } from './owner-uids.js';
import type { ItemPlace } from './item-place.js';
import { prepareItem } from './item-preparation.js';
import type { RestoreLabels } from './restore-labels.js';
import type { PlanAction, PlanEntry } from './restore-plan.js';
import type { RestoreRequest } from './restore-request.js';
import type { Decision } from './restore-selection.js';
import type { ItemOutcome } from './restore-results.js';
import type { RestoreTally } from './restore-tally.js';
import { secretRefusal } from './secret-refusal.js';
import type { TypeTarget } from './type-target.js';
import { getIfExists } from '../kube/get-if-exists.js';
import { formatGoDuration } from '../cli/go-duration.js';
import { waitWhileBeingDeleted } from './deletion-wait.js';
import type { PollOptions } from './poll-until.js';

/** An item created before some of its owners: it gets its references once they exist. */
export interface PendingOwners {
  path: string;
  label: string;
  namespace: string | undefined;
  refs: OwnerReference[];
}

export interface ItemRestorerDeps {
  client: KubeClient;
  spool: ItemSpool;
  request: Pick<RestoreRequest, 'existingResourcePolicy' | 'dryRun'>;
  labels: RestoreLabels;
  actions: ActionContext;
  owners: OwnerUids;
  tally: RestoreTally;
  pending: PendingOwners[];
  /** How long an object of the item's name that is being deleted is waited for, and how often it is looked at. */
  deletionWait: PollOptions;
}

const mergePatch = 'application/merge-patch+json';

/** Patches of merged references tried against a ServiceAccount that keeps changing under them. */
const mergeAttempts = 3;

/**
 * The answer of the API server, short: its Status message rather than the request line; about a
 * Secret, not even that (secretRefusal).
 */
export function apiProblem(err: unknown): string {
  // The message of an error given up on after retries says so; this short form says it too.
  if (err instanceof KubeApiError) return (secretRefusal(err) ?? `${err.code} ${err.reason ?? ''}${err.status?.message ? `: ${err.status.message}` : ''}`.replace(/ :/, ':').trim()) + retriesNote(err);
  return errorMessage(err);
}

/** A create refused by validation or admission: the object may exist all the same. */
function isRefusal(err: unknown): boolean {
  return err instanceof KubeApiError && (err.code === 403 || err.code === 422);
}

/** One item on its way in: where it goes and how it is named in plans and messages. */
interface Placement {
  item: IndexedItem;
  namespace: string | undefined;
  name: string;
  path: string;
  entry(action: PlanAction, detail?: string): PlanEntry;
}

/**
 * Puts one item into the cluster (restore.md, "What is changed on the way in" and "Existing
 * objects"): reads it from the spool, strips and rewrites it, creates it, and deals with an
 * object that exists already as the policy says.
 */
export class ItemRestorer {
  private readonly identity: ActionContext;

  constructor(private readonly deps: ItemRestorerDeps) {
    this.identity = { ...deps.actions, mapNamespace: (ns) => ns };
  }

  /**
   * @param place where the item goes (placeItem)
   * @param targetWillBeServed in a dry run, whether an unserved type would be served once the
   *   restore created its CRD (so its items plan `create`)
   */
  async restore(item: IndexedItem, { namespace, name }: ItemPlace, decision: Decision, target: TypeTarget, targetWillBeServed = false): Promise<ItemOutcome> {
    const { tally, request } = this.deps;
    const entry = (action: PlanAction, detail?: string): PlanEntry => ({ action, resource: item.resource, namespace, name, ...(detail ? { detail } : {}) });
    if (decision.action === 'skip') return tally.item(entry(`skip (${decision.reason})`, decision.detail), 'skipped');
    if ('problem' in target) {
      if (request.dryRun && targetWillBeServed) return tally.item(entry('create'), 'created');
      return tally.item(entry('create'), 'failed', target.problem);
    }
    const { body, waitingRefs } = this.prepare(item, namespace);
    const placement: Placement = { item, namespace, name, path: target.path(namespace, name), entry };
    if (request.dryRun) return this.plan(placement, desiredOf(body));
    let outcome: ItemOutcome;
    let retried = false;
    const create = async (): Promise<ItemOutcome> => {
      // The created object matters only for its uid, and only when it owns others.
      const discardBody = !this.deps.owners.isOwner(item.uid);
      const created = await this.deps.client.json<KubeObject>({ method: 'POST', path: target.path(namespace), body, discardBody, onRetry: () => (retried = true) });
      this.deps.owners.record(item.uid, created.metadata?.uid);
      return tally.item(entry('create'), 'created');
    };
    try {
      outcome = await create();
    } catch (err) {
      if (isFatal(err)) throw err;
      if (!isAlreadyExists(err)) {
        // The API server validates, allocates and admits a create before it finds the name
        // taken: the copy of an object that exists can be refused (422: a node port its existing
        // self holds; 403: a quota, or a ServiceAccount admission) where 409 was meant. An
        // object that is there is then dealt with as one that exists.
        const present = isRefusal(err) ? await readOrUndefined(getIfExists<KubeObject>(this.deps.client, placement.path)) : undefined;
        if (present === undefined) return tally.item(entry('create'), 'failed', `could not create: ${apiProblem(err)}`);
        outcome = await this.existing(placement, create, desiredOf(body), present);
      } else outcome = (retried ? await this.ownCreate(placement) : undefined) ?? (await this.existing(placement, create, desiredOf(body)));
    }
    // An object left as it is (policy none, or a refused patch) keeps its own references, and so
    // does one that only had some references merged in (existing-merge.ts) with policy none.
    const written = outcome === 'created' || (outcome === 'updated' && request.existingResourcePolicy === 'update');
    if (written && waitingRefs) this.deps.pending.push({ path: placement.path, label: this.label(placement), namespace, refs: waitingRefs });
    return outcome;
  }

  private label(p: Placement): string {
    return `${p.item.resource} ${p.namespace === undefined ? '' : `${p.namespace}/`}${p.name}`;
  }

  private async plan(p: Placement, object: KubeObject): Promise<ItemOutcome> {
    const { tally, request } = this.deps;
    const existing = await getIfExists<KubeObject>(this.deps.client, p.path);
    if (existing === undefined) return tally.item(p.entry('create'), 'created');
    if (request.existingResourcePolicy === 'update') return tally.item(p.entry('update'), 'updated');
    const added = existingMergeOf(p.item.resource)?.additions(existing, object).added ?? [];
    if (added.length > 0) return tally.item(p.entry('update', `would add ${added.join(', ')}`), 'updated');
    return tally.item(p.entry('skip (exists)', this.describeDifference(p, object, existing)), 'skipped');
  }

  /** Created after all, when a retried create made the object (own-create.ts); undefined when it is not ours. */
  private async ownCreate(p: Placement): Promise<ItemOutcome | undefined> {
    const own = await ownCreate(this.deps.client, p.path, this.deps.labels);
    if (own === undefined) return undefined;
    this.deps.owners.record(p.item.uid, own.metadata.uid);
    return this.deps.tally.item(p.entry('create'), 'created');
  }

  /**
   * An item whose name is taken. An object of the name that is being deleted (a CRD still
   * terminating, an object held by finalizers) is no object to keep or update: it goes, and
   * with a CRD its custom resources could not be created. It is waited for until it is gone,
   * and the item created then, as namespaces are (terminating-namespace.ts); otherwise the
   * restore would need a second run.
   * @param read the object, when it was just read
   */
  private async existing(p: Placement, create: () => Promise<ItemOutcome>, desired: KubeObject, read?: KubeObject): Promise<ItemOutcome> {
    const found = read ?? (await readOrUndefined(getIfExists<KubeObject>(this.deps.client, p.path)));
    if (found === undefined || !isBeingDeleted(found)) return this.handleExisting(p, desired, found);
    const { tally, deletionWait } = this.deps;
    const state = await waitWhileBeingDeleted(this.deps.client, p.path, deletionWait);
    if (state === undefined) return tally.item(p.entry('create'), 'failed', `an object of this name is being deleted and was still there after ${formatGoDuration(deletionWait.timeoutMs)}`);
    // Made again by someone else meanwhile: an object that exists like any other.
    if (state.present) return this.handleExisting(p, desired);
    try {
      return await create();
    } catch (err) {
      if (isFatal(err)) throw err;
      return tally.item(p.entry('create'), 'failed', `could not create once the object being deleted was gone: ${apiProblem(err)}`);
    }
  }

  /** @param read the object as just read, if it could be */
  private async handleExisting(p: Placement, object: KubeObject, read?: KubeObject): Promise<ItemOutcome> {
    const { tally, client, request } = this.deps;
    const update = request.existingResourcePolicy === 'update';
    try {
      if (update) return await this.update(p, object);
      const found = read ?? (await client.json<KubeObject>({ method: 'GET', path: p.path }));
      this.deps.owners.record(p.item.uid, found.metadata?.uid);
      const merge = existingMergeOf(p.item.resource);
      const { existing, added } = merge ? await this.mergeInto(p, merge, found, object) : { existing: found, added: [] };
      const difference = this.describeDifference(p, object, existing);
      const kept = added.length > 0 ? `left as it is but for the ${added.join(', ')} it lacked` : 'left as it is';
      if (difference) tally.warn(p.namespace, `${this.label(p)} exists and ${difference}; ${kept} (--existing-resource-policy update replaces it)`);
      if (added.length > 0) return tally.item(p.entry('update', `added ${added.join(', ')}`), 'updated');
      return tally.item(p.entry('skip (exists)', difference), 'skipped');
    } catch (err) {
      if (isFatal(err)) throw err;
      return tally.item(p.entry(update ? 'update' : 'skip (exists)'), 'failed', `exists, and could not be read: ${apiProblem(err)}`);
    }
  }

  /**
   * A merge patch of the whole object. One that is refused (a Pod's spec is immutable, and its
   * token volume never matches the backup's) is not a failure, as with Velero: the object gets
   * this restore's labels alone, and a warning says its content was left as it is.
   */
  private async update(p: Placement, object: KubeObject): Promise<ItemOutcome> {
    const { tally, client } = this.deps;
    const patch = (body: object) => client.json<KubeObject>({ method: 'PATCH', path: p.path, body, contentType: mergePatch });
    const merge = existingMergeOf(p.item.resource);
    try {
      const updated = await patch(merge ? merge.withoutMerged(object) : object);
      this.deps.owners.record(p.item.uid, updated.metadata?.uid);
      if (merge) await this.mergeInto(p, merge, updated, object);
      return tally.item(p.entry('update'), 'updated');
    } catch (err) {
      if (isFatal(err)) throw err;
      const refused = apiProblem(err);
      try {
        const labelled = await patch({ metadata: { labels: this.deps.labels } });
        this.deps.owners.record(p.item.uid, labelled.metadata?.uid);
      } catch (labelErr) {
        if (isFatal(labelErr)) throw labelErr;
        return tally.item(p.entry('update'), 'failed', `exists, and could not be updated (${refused}) nor labelled: ${apiProblem(labelErr)}`);
      }
      tally.warn(p.namespace, `${this.label(p)} exists and could not be updated (${refused}); left as it is, with this restore's labels`);
      return tally.item(p.entry('skip (exists)', `could not be updated: ${refused}`), 'skipped');
    }
  }

  /**
   * An existing object of a kind with merged fields (existing-merge.ts) gets what it lacks of
   * the backup's entries, whatever the policy. Returns the object as it now is, and what was
   * added: nothing when the patch is refused (a warning says so).
   */
  private async mergeInto(p: Placement, merge: ExistingMerge, existing: KubeObject, desired: KubeObject): Promise<{ existing: KubeObject; added: string[] }> {
    // What the object lacks is worked out once per state of it: as read, then as read again after a refused patch.
    const { added, patch: firstPatch } = merge.additions(existing, desired);
    if (firstPatch.length === 0) return { existing, added };
    let current = existing;
    let patch = firstPatch;
    for (let attempt = 1; ; attempt++) {
      // Appends are not safe to repeat: the test of the version read makes a retried PATCH, whose
      // first attempt was applied but not answered, fail instead of appending twice.
      const version = current.metadata?.resourceVersion;
      const guarded = version === undefined ? patch : [{ op: 'test', path: '/metadata/resourceVersion', value: version }, ...patch];
      try {
        const patched = await this.deps.client.json<KubeObject>({ method: 'PATCH', path: p.path, body: guarded, contentType: jsonPatch });
        return { existing: patched, added };
      } catch (err) {
        if (isFatal(err)) throw err;
        // Applied by an attempt whose answer was lost, or changed meanwhile (a controller adds its
        // own pull secret to a new namespace's ServiceAccounts): what it lacks now decides.
        const now = await readOrUndefined(this.deps.client.json<KubeObject>({ method: 'GET', path: p.path }));
        if (now !== undefined) {
          const lacking = merge.additions(now, desired).patch;
          if (lacking.length === 0) return { existing: now, added };
          if (attempt < mergeAttempts && now.metadata?.resourceVersion !== version) {
            current = now;
            patch = lacking;
            continue;
          }
        }
        this.deps.tally.warn(p.namespace, `${this.label(p)} exists and lacks ${added.join(', ')} of the backup, which could not be added: ${apiProblem(err)}`);
        return { existing: now ?? current, added: [] };
      }
    }
  }

  private describeDifference(p: Pick<Placement, 'item'>, desired: KubeObject, existing: KubeObject): string | undefined {
    // Merged fields that hold all of the backup's entries are as the restore wants them, whatever else they hold.
    const merge = existingMergeOf(p.item.resource);
    const merged = merge !== undefined && merge.additions(existing, desired).patch.length === 0;
    const fields = merged ? differingFields(merge.withoutMerged(desired), merge.withoutMerged(existing), this.identity) : differingFields(desired, existing, this.identity);
    return fields.length === 0 ? undefined : `differs from the backup in ${fields.join(', ')}`;
  }

  /**
   * The object as it will be sent, read from the spool and prepared (item-preparation.ts), its
   * owner references rewritten. An item prepared as the archive was read (early-preparation.ts)
   * is its spooled bytes, sent as they are. `waitingRefs` (the original references) when some
   * owner is restored later in the order.
   */
  private prepare(item: IndexedItem, namespace: string | undefined): { body: KubeObject | Buffer; waitingRefs?: OwnerReference[] } {
    const { actions, labels, owners } = this.deps;
    const spooled = this.deps.spool.read(item);
    if (item.prepared) return { body: spooled };
    const object = parseJson(spooled.toString('utf8')) as KubeObject;
    const originalRefs = object.metadata.ownerReferences;
    prepareItem(object, namespace, actions, labels);
    if (originalRefs === undefined) return { body: object };
    const { refs, waiting } = owners.rewrite(originalRefs);
    if (refs.length > 0) object.metadata.ownerReferences = refs;
    else delete object.metadata.ownerReferences;
    return waiting > 0 ? { body: object, waitingRefs: originalRefs } : { body: object };
  }
}

/** The object a body stands for: prepared bytes are parsed only where a plan or an existing object needs them. */
function desiredOf(body: KubeObject | Buffer): KubeObject {
  return Buffer.isBuffer(body) ? (parseJson(body.toString('utf8')) as KubeObject) : body;
}
