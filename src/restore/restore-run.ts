import { isGlob, NamespaceFilter } from '../backup/namespace-filter.js';
import { resourceListType } from '../backup/resource-list-writer.js';
import { isAlreadyExists } from '../kube/api-error.js';
import type { Discovery } from '../kube/discovery.js';
import { formatGoDuration } from '../cli/go-duration.js';
import type { RestorePhase } from '../storage/restore-record.js';
import type { ActionContext } from './actions/restore-action.js';
import type { ArchiveIndex, IndexedItem } from './archive-index.js';
import { waitUntilServed } from './crd-discovery.js';
import { defaultCrdEstablishTimeoutMs, waitForEstablished } from './crd-establishment.js';
import { defaultNamespaceTerminatingTimeoutMs, waitUntilNotTerminating } from './terminating-namespace.js';
import { isFatal } from './fatal-error.js';
import type { PollOptions } from './poll-until.js';
import { apiProblem, ItemRestorer, type PendingOwners } from './item-restorer.js';
import { placeItem } from './item-place.js';
import { preparationSettings } from './item-preparation.js';
import type { ItemSpool } from './item-spool.js';
import { ownCreate } from './own-create.js';
import { OwnerUids } from './owner-uids.js';
import type { RestoreEnvironment, RestoreOptions, RestoreOutcome, RestoreSource } from './restore-engine.js';
import { addRestoreLabels, type RestoreLabels } from './restore-labels.js';
import { isAdmissionResource, mergeOrderedResources, orderItems, orderResources } from './restore-order.js';
import type { RestoreRequest } from './restore-request.js';
import { crdResource, RestoreSelection, type Decision } from './restore-selection.js';
import { RestoreCounter } from './restore-results.js';
import { RestoreTally } from './restore-tally.js';
import { restoredItemEntry } from './restored-resource-list.js';
import { matchResourceName, resolveResourceFilter } from './resource-filter.js';
import { runPool } from './run-pool.js';
import { typeTarget, type TypeTarget } from './type-target.js';

export const defaultRestoreConcurrency = 16;

/** The resource list's type of the namespaces a restore makes for items whose namespace it does not hold. */
const namespaceListType = resourceListType('v1', 'Namespace');

/** A type's items as they are restored, and how many of them come first as --ordered-resources lists them. */
interface DecidedItems {
  items: { item: IndexedItem; decision: Decision }[];
  listed: number;
}

/** One restore once its archive is indexed: selection, order, and the per-type passes. */
export class RestoreRun {
  private readonly selection: RestoreSelection;
  private readonly tally: RestoreTally;
  private readonly restorer: ItemRestorer;
  private readonly owners: OwnerUids;
  private readonly pending: PendingOwners[] = [];
  private readonly ordered: ReadonlyMap<string, readonly string[]>;
  private readonly concurrency: number;
  private readonly deletionWait: PollOptions;
  private readonly labels: RestoreLabels;
  /** --namespace-mappings: where the items of a source namespace go. */
  private readonly targetNamespace: (namespace: string) => string;
  /** Source namespaces of the items this restore creates, found while counting them. */
  private readonly itemNamespaces = new Set<string>();
  /** Target namespaces known to exist (restored, found, or made). */
  private readonly namespacesPresent = new Set<string>();
  /** CRD name (= its resource) → why its custom resources cannot be restored. */
  private readonly crdProblems = new Map<string, string>();
  private readonly crdsRestored = new Set<string>();
  private readonly targets = new Map<string, TypeTarget>();
  /** Resources in the order they are restored, one pass each. */
  private readonly passes: string[];
  /** Resource list type → the last pass with items of that type (the archive may mix kinds). */
  private readonly lastPassOfType = new Map<string, number>();

  constructor(
    private readonly request: RestoreRequest,
    source: RestoreSource,
    private readonly env: RestoreEnvironment,
    private readonly options: RestoreOptions,
    private readonly index: ArchiveIndex,
    spool: ItemSpool,
    private discovery: Discovery,
    private readonly loadDiscovery: () => Promise<Discovery>,
  ) {
    const { filters } = request;
    const resources = [...index.kinds].map(([resource, kind]) => ({ resource, kind }));
    const resourceFilter = resolveResourceFilter(filters.includeResources, filters.excludeResources, resources, discovery);
    this.selection = new RestoreSelection(index, {
      namespaces: new NamespaceFilter(filters.includeNamespaces, filters.excludeNamespaces),
      resources: resourceFilter,
      includeClusterResources: filters.includeClusterResources,
      includeOwnedResources: request.includeOwnedResources,
    });
    this.passes = orderResources(index.byResource.keys());
    let total = 0;
    // Source namespaces the backup holds something of, for the flags that name one it does not;
    // gathered only when some flag names one.
    const held = namesNamespaces(request) ? new Set<string>() : undefined;
    for (const [pass, resource] of this.passes.entries()) {
      for (const item of index.byResource.get(resource) ?? []) {
        if (item.namespace !== undefined) held?.add(item.namespace);
        else if (resource === 'namespaces') held?.add(item.name);
        const decision = this.selection.decide(item);
        if (!decision) continue;
        total++;
        this.lastPassOfType.set(resourceListType(item.apiVersion, item.kind), pass);
        if (decision.action === 'restore' && item.namespace !== undefined) this.itemNamespaces.add(item.namespace);
      }
    }
    this.tally = new RestoreTally(env.logger, total, env.progress, env.onPlan);
    for (const name of resourceFilter.unmatched) this.tally.warn(undefined, `resource filter "${name}" matches no resource in the backup`);
    if (held) for (const warning of absentNamespaceWarnings(request, held)) this.tally.warn(undefined, warning);
    this.ordered = mergeOrderedResources(source.orderedResources, filters.orderedResources, (name) => matchResourceName(name, resources, discovery));
    const restoredOwners = new Set<string>();
    for (const [uid, owner] of index.owners) if (this.selection.decide(owner)?.action === 'restore') restoredOwners.add(uid);
    this.owners = new OwnerUids((uid) => restoredOwners.has(uid), index.ownerUids);
    const preparation = preparationSettings(request);
    this.targetNamespace = preparation.mapNamespace;
    const actions: ActionContext = {
      mapNamespace: this.targetNamespace,
      preserveNodePorts: preparation.preserveNodePorts,
      isTokenSecret: (ns, name) => index.tokenSecrets.has(`${ns}/${name}`),
      provisionsVolumeAnew: (name) => index.volumesProvisionedAnew.has(name),
    };
    this.concurrency = options.concurrency ?? defaultRestoreConcurrency;
    this.labels = preparation.labels;
    // Namespaces and objects being deleted are waited for alike: looked at often first, less later.
    const poll = this.options.namespacePollIntervalMs;
    this.deletionWait = { timeoutMs: this.options.namespaceTerminatingTimeoutMs ?? defaultNamespaceTerminatingTimeoutMs, pollIntervalMs: poll ?? 250, maxPollIntervalMs: poll ?? 2000 };
    this.restorer = new ItemRestorer({ client: env.client, spool, request, labels: this.labels, actions, owners: this.owners, tally: this.tally, pending: this.pending, deletionWait: this.deletionWait });
  }

  async execute(): Promise<void> {
    const { logger } = this.env;
    logger.log('info', 'restore started', { restore: this.request.name, backup: this.request.backupName, dryRun: this.request.dryRun || undefined });
    await this.waitForTerminatingNamespaces();
    let namespacesEnsured = false;
    let admitting = false;
    for (const [pass, resource] of this.passes.entries()) {
      const decided = this.decidedItems(resource);
      if (decided.items.length === 0) continue;
      if (!namespacesEnsured && resource !== crdResource && resource !== 'namespaces') {
        await this.ensureNamespaces();
        namespacesEnsured = true;
      }
      if (!admitting && isAdmissionResource(resource)) {
        // Before any webhook is restored, which could refuse these patches while what it calls is not ready.
        await this.addWaitingOwners(false);
        admitting = true;
      }
      // Types that this pass and later ones cannot add to are complete: written now, not held.
      await this.env.resourceList?.flush((type) => (this.lastPassOfType.get(type) ?? -1) >= pass || (type === namespaceListType && !namespacesEnsured));
      await this.restoreType(resource, decided);
      if (resource === crdResource) await this.waitForCrds();
    }
    if (!namespacesEnsured) await this.ensureNamespaces();
    await this.addWaitingOwners(true);
    const counts = this.tally.counter.totals();
    logger.log('info', 'restore finished', { ...counts, warnings: this.tally.results.warningCount, errors: this.tally.results.errorCount });
  }

  outcome(startTime: Date, completionTime: Date, failureReason: string | undefined): RestoreOutcome {
    const { results } = this.tally;
    const errorCount = results.errorCount;
    const phase: RestorePhase = failureReason !== undefined ? 'Failed' : errorCount > 0 ? 'PartiallyFailed' : 'Completed';
    return {
      phase,
      startTime,
      completionTime,
      counts: this.tally.counter.totals(),
      countsByResource: this.tally.counter.perResource(),
      ...results.toJSON(),
      warningCount: results.warningCount,
      errorCount,
      ...(failureReason !== undefined ? { failureReason } : {}),
    };
  }

  private decidedItems(resource: string): DecidedItems {
    const all = this.index.byResource.get(resource) ?? [];
    const { items, listed, missing } = orderItems(all, this.ordered.get(resource));
    for (const ref of missing) this.tally.warn(undefined, `ordered resource ${resource} ${ref} is not in the backup`);
    const decided: DecidedItems = { items: [], listed: 0 };
    items.forEach((item, i) => {
      const decision = this.selection.decide(item);
      if (!decision) return;
      decided.items.push({ item, decision });
      if (i < listed) decided.listed++;
    });
    return decided;
  }

  private target(item: IndexedItem): TypeTarget {
    const key = `${item.resource} ${item.apiVersion} ${item.namespace === undefined}`;
    let target = this.targets.get(key);
    if (!target) {
      const problem = this.crdProblems.get(item.resource);
      target = problem !== undefined ? { problem } : typeTarget(this.discovery, item.resource, item.apiVersion, item.namespace !== undefined);
      this.targets.set(key, target);
    }
    return target;
  }

  private async restoreType(resource: string, decided: DecidedItems): Promise<void> {
    // This type's outcomes, for its log line.
    const counts = new RestoreCounter();
    this.env.progress?.stage(resource);
    const willBeServed = this.request.dryRun && this.crdsRestored.has(resource);
    const restoreOne = async ({ item, decision }: { item: IndexedItem; decision: Decision }): Promise<void> => {
      const place = placeItem(item, this.targetNamespace);
      const outcome = await this.restorer.restore(item, place, decision, this.target(item), willBeServed);
      this.env.resourceList?.add(resourceListType(item.apiVersion, item.kind), restoredItemEntry(place.namespace, place.name, outcome));
      counts.add(resource, outcome);
      if (decision.action !== 'restore' || outcome === 'failed') return;
      if (resource === crdResource) this.crdsRestored.add(item.name);
      if (resource === 'namespaces') this.namespacesPresent.add(place.name);
    };
    // Those --ordered-resources lists are made one after another, each done before the next
    // starts, as the order asks; the rest concurrently.
    for (const listed of decided.items.slice(0, decided.listed)) await restoreOne(listed);
    await runPool(decided.items.slice(decided.listed), this.concurrency, restoreOne);
    // A dry run's counts are what would be done: its log must not say anything was restored.
    this.env.logger.log('info', this.request.dryRun ? 'resource planned' : 'resource restored', { resource, ...counts.totals() });
  }

  /**
   * The namespaces items go into, when being deleted, are waited for until they are gone, so
   * that they can be made again: otherwise every item in them fails and the restore needs a
   * second run. A dry run says it would wait. Those found present need no check later.
   */
  private async waitForTerminatingNamespaces(): Promise<void> {
    const targets = new Set([...this.itemNamespaces].map(this.targetNamespace));
    // Which namespaces alone, in no order: ordering them here (decidedItems) would warn of the
    // missing --ordered-resources entries a second time.
    for (const item of this.index.byResource.get('namespaces') ?? []) if (this.selection.decide(item)?.action === 'restore') targets.add(this.targetNamespace(item.name));
    await runPool(targets, this.concurrency, async (name) => {
      const onWait = this.request.dryRun
        ? () => this.tally.warn(name, `namespace ${name} is terminating: the restore would wait for it to go`)
        : () => {
            this.env.progress?.stage(`waiting for namespace ${name} to terminate`);
            this.env.logger.log('info', 'waiting for the namespace to finish terminating before restoring into it', { namespace: name });
          };
      const state = await waitUntilNotTerminating(this.env.client, name, { ...this.deletionWait, ...(this.request.dryRun ? { timeoutMs: 0 } : {}), onWait });
      if ('present' in state) {
        if (state.present) this.namespacesPresent.add(name);
      } else if (!this.request.dryRun) {
        this.tally.results.error(state.problem, name);
        this.env.logger.log('error', state.problem, { namespace: name });
      }
    });
  }

  /** CRDs must be Established before their custom resources can be created (restore.md, Order). */
  private async waitForCrds(): Promise<void> {
    for (const crd of this.index.byResource.get(crdResource) ?? []) {
      if (this.selection.decide(crd)?.action === 'restore' && !this.crdsRestored.has(crd.name)) {
        this.crdProblems.set(crd.name, `its CustomResourceDefinition ${crd.name} could not be restored`);
      }
    }
    if (this.request.dryRun || this.crdsRestored.size === 0) return;
    this.env.progress?.stage(`waiting for ${this.crdsRestored.size} CustomResourceDefinition(s) to be Established`);
    const waitOptions = { timeoutMs: this.options.crdEstablishTimeoutMs ?? defaultCrdEstablishTimeoutMs, pollIntervalMs: this.options.crdPollIntervalMs ?? 250 };
    const deadline = Date.now() + waitOptions.timeoutMs;
    await runPool(this.crdsRestored, this.concurrency, async (name) => {
      const problem = await waitForEstablished(this.env.client, name, waitOptions);
      if (problem !== undefined) this.crdFailed(name, problem);
    });
    // Within the same time as the wait for Established: discovery can trail the condition.
    const established = new Set([...this.crdsRestored].filter((name) => !this.crdProblems.has(name)));
    const { discovery, unserved } = await waitUntilServed(established, this.loadDiscovery, { ...waitOptions, timeoutMs: Math.max(0, deadline - Date.now()) });
    this.discovery = discovery;
    this.targets.clear();
    for (const name of unserved) this.crdFailed(name, `CustomResourceDefinition ${name} is Established but the API server does not serve ${name} after ${formatGoDuration(waitOptions.timeoutMs)}`);
  }

  /** A CRD that is not usable: an error of the restore, and the reason every one of its custom resources fails. */
  private crdFailed(name: string, problem: string): void {
    this.crdProblems.set(name, problem);
    this.tally.results.error(problem);
    this.env.logger.log('error', problem, { crd: name });
  }

  /**
   * Items go into namespaces that the backup may not hold (filtered out, or a mapping's
   * target): those are made, bare but labelled as restored, before any namespaced item.
   */
  private async ensureNamespaces(): Promise<void> {
    const needed = new Set<string>();
    for (const namespace of this.itemNamespaces) {
      const target = this.targetNamespace(namespace);
      if (!this.namespacesPresent.has(target)) needed.add(target);
    }
    // Every target namespace was looked at before the first pass (waitForTerminatingNamespaces):
    // those still missing are made, unless one was made meanwhile.
    await runPool(needed, this.concurrency, async (name) => {
      if (this.request.dryRun) {
        this.env.onPlan?.({ action: 'create', resource: 'namespaces', namespace: undefined, name, detail: 'not in the backup; made for its items' });
        return;
      }
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
      addRestoreLabels(namespace, this.labels);
      let retried = false;
      try {
        await this.env.client.json({ method: 'POST', path: '/api/v1/namespaces', body: namespace, onRetry: () => (retried = true) });
      } catch (err) {
        if (isFatal(err)) throw err;
        if (!isAlreadyExists(err)) {
          this.tally.results.error(`namespace ${name} could not be created for its items: ${apiProblem(err)}`);
          return;
        }
        // Made meanwhile, unless the 409 answers a retry of our own create whose answer was lost.
        if (!retried || (await ownCreate(this.env.client, `/api/v1/namespaces/${encodeURIComponent(name)}`, this.labels)) === undefined) return;
      }
      this.tally.extra('namespaces', 'created');
      this.env.resourceList?.add(namespaceListType, restoredItemEntry(undefined, name, 'created'));
      this.env.logger.log('info', 'namespace created for restored items', { namespace: name });
    });
  }

  /**
   * Items created before their owners get their owner references now that the owners exist.
   * @param final whether every pass is done: otherwise only items whose owners all exist by now
   *   are patched, the others kept for later
   */
  private async addWaitingOwners(final: boolean): Promise<void> {
    const due: PendingOwners[] = [];
    const later: PendingOwners[] = [];
    for (const pending of this.pending) (final || this.owners.rewrite(pending.refs).waiting === 0 ? due : later).push(pending);
    this.pending.length = 0;
    for (const pending of later) this.pending.push(pending);
    await runPool(due, this.concurrency, async (pending) => {
      const { refs } = this.owners.rewrite(pending.refs);
      if (refs.length === 0) return;
      try {
        await this.env.client.json({ method: 'PATCH', path: pending.path, contentType: 'application/merge-patch+json', body: { metadata: { ownerReferences: refs } } });
      } catch (err) {
        if (isFatal(err)) throw err;
        this.tally.warn(pending.namespace, `${pending.label}: its owner references could not be set: ${apiProblem(err)}`);
      }
    });
  }
}

/** Whether a flag names a namespace (globs aside): --include-namespaces or --namespace-mappings. */
function namesNamespaces(request: RestoreRequest): boolean {
  return request.namespaceMappings.size > 0 || request.filters.includeNamespaces.some((pattern) => !isGlob(pattern));
}

/**
 * Namespaces the flags name that the backup does not hold: most likely a mistyped name, which
 * would otherwise restore nothing of it and say nothing (globs may match nothing).
 */
function absentNamespaceWarnings(request: RestoreRequest, held: ReadonlySet<string>): string[] {
  const warnings: string[] = [];
  for (const pattern of new Set(request.filters.includeNamespaces.filter((p) => !isGlob(p)))) {
    if (!held.has(pattern)) warnings.push(`--include-namespaces: the backup holds nothing of namespace ${pattern}`);
  }
  for (const source of request.namespaceMappings.keys()) {
    if (!held.has(source)) warnings.push(`--namespace-mappings: the backup holds nothing of namespace ${source}, so nothing is restored into ${request.namespaceMappings.get(source)}`);
  }
  return warnings;
}
