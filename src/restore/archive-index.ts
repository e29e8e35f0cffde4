import { InvalidArchiveError } from '../archive/archive-errors.js';
import type { ArchiveItem } from '../archive/archive-reader.js';
import { quotedEntry } from '../archive/entry-safety.js';
import { nestingExceeds } from '../archive/json-nesting.js';
import { parseJson } from '../kube/exact-json.js';
import { isRecord, type KubeObject } from '../kube/types.js';
import { completedReason } from './completed-item.js';
import type { ItemPreparer } from './early-preparation.js';
import { unspooled, type ItemSpool, type SpoolSlot } from './item-spool.js';
import type { LabelSelector } from '../kube/label-selector.js';
import { neverRestoredReason, serviceHasSelector, volumeProvisionedAnewReason } from './never-restored.js';

/**
 * What a restore keeps in memory of one archive item: enough to select, order and skip it and
 * to rewrite owner references, never the object itself (that stays in the spool file).
 */
export interface IndexedItem extends SpoolSlot {
  /** `resource[.group]` as the archive names it. */
  readonly resource: string;
  /** Source namespace; undefined for cluster-scoped items. */
  readonly namespace: string | undefined;
  readonly name: string;
  readonly apiVersion: string;
  readonly kind: string;
  readonly uid: string | undefined;
  /** uid of the owner whose `controller: true` reference the item carries. */
  readonly controllerUid: string | undefined;
  readonly matchesSelector: boolean;
  /** Why it is never restored, when that can be told from the item alone. */
  readonly neverRestored: string | undefined;
  /** Why it is not restored as a finished Job or pod (completedReason). */
  readonly completed: string | undefined;
  /** PersistentVolumes: `namespace/name` of the claim they are bound to. */
  readonly claim: string | undefined;
  /** 0 plain path, 1 Velero's `*-preferredversion` folder, 2 another version folder. */
  readonly copyRank: number;
  /** Spooled ready to send (IndexOptions.prepare), not as the archive holds it. */
  readonly prepared: boolean;
}

/** Facts about the whole archive that single items cannot tell. */
export interface ArchiveFacts {
  /** `ns/name` of Services with a selector: their Endpoints are the controller's. */
  readonly selectorServices: ReadonlySet<string>;
  /** `ns/name` of service-account token Secrets. */
  readonly tokenSecrets: ReadonlySet<string>;
  /**
   * Names of the PersistentVolumes no restore makes (reclaim policy Delete; never-restored.ts),
   * whose claims get a new volume. A volume that is only filtered out, or not in the backup,
   * keeps its claims' binding, as with Velero: the user may have made it already.
   */
  readonly volumesProvisionedAnew: ReadonlySet<string>;
  /** uids that some item names as an owner. */
  readonly ownerUids: ReadonlySet<string>;
  /** Kind of each resource, to resolve filter names such as `Deployment`. */
  readonly kinds: ReadonlyMap<string, string>;
}

export interface ArchiveIndex extends ArchiveFacts {
  /** Items per resource, one copy of each. */
  readonly byResource: ReadonlyMap<string, IndexedItem[]>;
  /** Items that own others, by uid. */
  readonly owners: ReadonlyMap<string, IndexedItem>;
  readonly itemCount: number;
}

/**
 * Items an index holds at most. Each costs ~250 bytes of heap (measured with 1M ConfigMaps;
 * ~500 with 253-character names), and the restore keeps a little more per item: a million
 * fit in the executable's 1 GiB heap with room to spare, and no cluster holds as many objects
 * (Kubernetes is tested to 150,000 pods, etcd to 8 GiB). Without a limit, 400,000 tiny items
 * in a 4 MB archive took 346 MB, and a few more millions exhaust the heap.
 */
const defaultMaxIndexedItems = 1_000_000;

/**
 * Kubernetes' own limit on JSON nesting: the API server decodes with a fork of Go's
 * encoding/json, whose scanner refuses more than 10000 levels (`maxNestingDepth`), so no object
 * of a cluster is deeper and refusing deeper items loses nothing. (From ~4,500 levels the
 * client's JSON.stringify overflows the stack: such an item fails alone, as an item error.)
 */
export const maxItemNesting = 10_000;

/** Which items the restore may read: the others are indexed (to be counted and skipped) but not spooled. */
export type SpoolScope = (item: { resource: string; namespace: string | undefined; name: string; matchesSelector: boolean }) => boolean;

export interface IndexOptions {
  selector?: LabelSelector | undefined;
  /** Every item when undefined. */
  scope?: SpoolScope | undefined;
  /** Spools the body it returns for an item instead of the item's own (early-preparation.ts). */
  prepare?: ItemPreparer | undefined;
  maxItems?: number;
}

export function copyRank(versionFolder: string | undefined): number {
  if (versionFolder === undefined) return 0;
  return versionFolder.endsWith('-preferredversion') ? 1 : 2;
}

/**
 * Reads every item once, spools those in scope, and keeps the index entry of each (the best
 * copy of each item). Items the filters leave out are not spooled: an archive can hold far
 * more than a restore of a few namespaces needs to write to disk.
 */
export async function indexArchive(items: AsyncIterable<ArchiveItem>, spool: ItemSpool, archiveName: string, options: IndexOptions = {}): Promise<ArchiveIndex> {
  const { selector, scope, prepare } = options;
  const maxItems = options.maxItems ?? defaultMaxIndexedItems;
  const intern = new Map<string, string>();
  const shared = (value: string) => {
    const known = intern.get(value);
    if (known !== undefined) return known;
    intern.set(value, value);
    return value;
  };
  const byKey = new Map<string, IndexedItem>();
  const selectorServices = new Set<string>();
  const tokenSecrets = new Set<string>();
  const volumesProvisionedAnew = new Set<string>();
  const ownerUids = new Set<string>();
  const kinds = new Map<string, string>();

  for await (const { entry, location, body } of items) {
    const rank = copyRank(location.versionFolder);
    const key = `${location.resource}/${location.namespace ?? ''}/${location.name}`;
    const previous = byKey.get(key);
    // The same entry twice: a tar extractor keeps the last, this index the best (first) copy, so
    // what someone inspecting the archive sees could differ from what is restored. No backup
    // writes one; only version folders other than the preferred one may hold several copies.
    if (previous && previous.copyRank === rank && rank < copyRank('v1')) throw new InvalidArchiveError(archiveName, `entry ${quotedEntry(entry)} appears twice`);
    if (previous && previous.copyRank <= rank) continue;
    if (!previous && byKey.size >= maxItems) throw new InvalidArchiveError(archiveName, `it holds more than ${maxItems} items`);
    const object = parseItem(entry, body, location, archiveName);
    const ref = `${location.namespace ?? ''}/${location.name}`;
    if (location.resource === 'services' && serviceHasSelector(object)) selectorServices.add(ref);
    if (location.resource === 'secrets' && object.type === 'kubernetes.io/service-account-token') tokenSecrets.add(ref);
    let controllerUid: string | undefined;
    for (const owner of object.metadata.ownerReferences ?? []) {
      if (!isRecord(owner) || typeof owner.uid !== 'string') continue;
      ownerUids.add(owner.uid);
      if (owner.controller === true) controllerUid = owner.uid;
    }
    const resource = shared(location.resource);
    const kind = shared(object.kind!);
    if (!kinds.has(resource)) kinds.set(resource, kind);
    const claim = resource === 'persistentvolumes' ? claimOf(object) : undefined;
    const matchesSelector = selector ? selector(object.metadata.labels) : true;
    const namespace = location.namespace === undefined ? undefined : shared(location.namespace);
    const apiVersion = shared(object.apiVersion!);
    const uid = typeof object.metadata.uid === 'string' ? object.metadata.uid : undefined;
    const neverRestored = neverRestoredReason(resource, object);
    const completed = completedReason(resource, object);
    let slot = unspooled;
    let prepared: Buffer | undefined;
    if (!scope || scope({ resource, namespace, name: location.name, matchesSelector })) {
      // Last: preparing changes the object, from which everything above was read.
      prepared = prepare?.(object, location);
      slot = spool.append(prepared ?? body);
      if (spool.full) await spool.flush();
    }
    // One shape for every entry (no spreads): 10k of them are made, and kept.
    byKey.set(key, {
      offset: slot.offset,
      length: slot.length,
      resource,
      namespace,
      name: location.name,
      apiVersion,
      kind,
      uid,
      controllerUid,
      matchesSelector,
      neverRestored,
      completed,
      claim,
      copyRank: rank,
      prepared: prepared !== undefined,
    });
  }
  await spool.flush();

  const byResource = new Map<string, IndexedItem[]>();
  const owners = new Map<string, IndexedItem>();
  for (const item of byKey.values()) {
    let list = byResource.get(item.resource);
    if (!list) byResource.set(item.resource, (list = []));
    list.push(item);
    if (item.uid !== undefined && ownerUids.has(item.uid)) owners.set(item.uid, item);
    // From the copy kept: another copy read before it may have had another policy.
    if (item.neverRestored === volumeProvisionedAnewReason) volumesProvisionedAnew.add(item.name);
  }
  return { byResource, owners, itemCount: byKey.size, selectorServices, tokenSecrets, volumesProvisionedAnew, ownerUids, kinds };
}

/**
 * Parses an item and checks that it is what its entry says. The archive passed its checksum,
 * but it is still untrusted: an object whose name or namespace differ from its path, or that
 * is not an object at all, means the archive is not a backup's.
 */
function parseItem(entry: string, body: Buffer, location: { namespace?: string; name: string }, archiveName: string): KubeObject {
  const invalid = (problem: string) => new InvalidArchiveError(archiveName, `entry ${quotedEntry(entry)} ${problem}`);
  if (nestingExceeds(body, maxItemNesting)) throw invalid(`nests arrays and objects more than ${maxItemNesting} levels deep (Kubernetes' limit)`);
  let object: unknown;
  try {
    // Exact: a prepared item is serialised from this parse (early-preparation.ts).
    object = parseJson(body.toString('utf8'));
  } catch (err) {
    throw invalid(`is not valid JSON (${(err as Error).message})`);
  }
  if (!isRecord(object) || !isRecord(object.metadata)) throw invalid('is not a Kubernetes object');
  if (typeof object.apiVersion !== 'string' || object.apiVersion === '' || typeof object.kind !== 'string' || object.kind === '') throw invalid('has no apiVersion or kind');
  const meta = object.metadata;
  if (meta.name !== location.name) throw invalid(`holds an object named ${JSON.stringify(meta.name)}`);
  const namespace = typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : undefined;
  if (namespace !== location.namespace) throw invalid(`holds an object of namespace ${JSON.stringify(namespace ?? null)}`);
  return object as KubeObject;
}

function claimOf(pv: KubeObject): string | undefined {
  const spec = pv.spec;
  if (!isRecord(spec) || !isRecord(spec.claimRef)) return undefined;
  const { namespace, name } = spec.claimRef;
  return typeof namespace === 'string' && typeof name === 'string' ? `${namespace}/${name}` : undefined;
}
