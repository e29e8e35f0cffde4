import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { NamespaceFilter } from '../backup/namespace-filter.js';
import { CliError, errorMessage } from '../errors.js';
import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { Discovery, qualifiedName } from '../kube/discovery.js';
import type { Logger } from '../log/logger.js';
import type { RestoreCounts, RestorePhase } from '../storage/restore-record.js';
import type { ActionContext } from './actions/restore-action.js';
import type { ArchiveIndex, IndexedItem } from './archive-index.js';
import { spoolArchive } from './archive-spool.js';
import { defaultCrdEstablishTimeoutMs, waitForEstablished } from './crd-establishment.js';
import { apiProblem, isFatal, ItemRestorer, type PendingOwners } from './item-restorer.js';
import type { ItemSpool } from './item-spool.js';
import { compileLabelSelection } from './label-selection.js';
import { mapNamespace } from './namespace-mappings.js';
import { OwnerUids } from './owner-uids.js';
import { addRestoreLabels } from './restore-labels.js';
import type { PlanEntry } from './restore-plan.js';
import type { RestoreRequest } from './restore-request.js';
import type { ResultGroups } from './restore-results.js';
import { crdResource, RestoreSelection, type Decision } from './restore-selection.js';
import { RestoreTally } from './restore-tally.js';
import type { ProgressReporter } from '../progress/progress-reporter.js';
import { orderItems, orderResources } from './restore-order.js';
import { matchResourceName, resolveResourceFilter } from './resource-filter.js';
import { runPool } from './run-pool.js';
import { typeTarget, type TypeTarget } from './type-target.js';

/** The backup a restore reads. */
export interface RestoreSource {
  /** How messages name the archive (its key in storage). */
  archiveName: string;
  /** The archive as a stream that fails unless its bytes are what the backup's record says. */
  openArchive(): Promise<Readable>;
  /** The backup's `--ordered-resources`: resource (as the user wrote it) → `ns/name` items. */
  orderedResources: Readonly<Record<string, readonly string[]>>;
}

export interface RestoreEnvironment {
  client: KubeClient;
  logger: Logger;
  /** Discovery of the target cluster; loaded again once CRDs are restored. */
  loadDiscovery?: () => Promise<Discovery>;
  /** Items done of the items the restore takes; types as stages. */
  progress?: ProgressReporter;
  /** Dry runs: every item's plan, as it is decided. */
  onPlan?: (entry: PlanEntry) => void;
}

export interface RestoreOptions {
  /** Items of one type in flight at once. */
  concurrency?: number;
  crdEstablishTimeoutMs?: number;
  crdPollIntervalMs?: number;
  /** Where the archive is spooled (the system's temp directory by default). */
  tempDir?: string;
  maxItemBytes?: number;
  now?: () => Date;
}

export interface RestoreOutcome {
  phase: RestorePhase;
  startTime: Date;
  completionTime: Date;
  counts: RestoreCounts;
  countsByResource: Record<string, RestoreCounts>;
  warnings: ResultGroups;
  errors: ResultGroups;
  warningCount: number;
  errorCount: number;
  /** Why the restore stopped (phase Failed). */
  failureReason?: string;
}

export const defaultRestoreConcurrency = 16;

/**
 * Restores a backup (restore.md). The archive is downloaded, verified and indexed before
 * anything is created; bad input (a checksum mismatch, a hostile or corrupted archive, a bad
 * selector) is thrown as a CliError with nothing changed. Once objects may have been created,
 * a failure ends the restore with phase Failed and is returned, so that its record and log
 * can still be written.
 */
export async function runRestore(request: RestoreRequest, source: RestoreSource, env: RestoreEnvironment, options: RestoreOptions = {}): Promise<RestoreOutcome> {
  const now = options.now ?? (() => new Date());
  const startTime = now();
  const selector = compileLabelSelection(request.filters);
  const dir = await fs.mkdtemp(path.join(options.tempDir ?? os.tmpdir(), 'kubectl-backup-restore-'));
  let spool: ItemSpool | undefined;
  try {
    const spooled = await spoolArchive(() => source.openArchive(), dir, source.archiveName, selector, options.maxItemBytes);
    spool = spooled.spool;
    env.logger.log('info', 'archive verified and read', { archive: source.archiveName, items: spooled.index.itemCount });
    const loadDiscovery = env.loadDiscovery ?? (() => Discovery.load(env.client));
    const discovery = await loadDiscovery();
    env.logger.log('debug', 'discovery loaded', { resources: discovery.all().length });
    const run = new RestoreRun(request, source, env, options, spooled.index, spool, discovery, loadDiscovery);
    let failureReason: string | undefined;
    try {
      await run.execute();
    } catch (err) {
      if (err instanceof CliError && err.exitCode === 2) throw err;
      failureReason = errorMessage(err);
      env.logger.log('error', 'restore failed', { error: failureReason });
    }
    return run.outcome(startTime, now(), failureReason);
  } finally {
    await spool?.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** One restore once its archive is indexed: selection, order, and the per-type passes. */
class RestoreRun {
  private readonly selection: RestoreSelection;
  private readonly tally: RestoreTally;
  private readonly restorer: ItemRestorer;
  private readonly owners: OwnerUids;
  private readonly pending: PendingOwners[] = [];
  private readonly ordered = new Map<string, string[]>();
  private readonly concurrency: number;
  /** Target namespaces known to exist (restored, found, or made). */
  private readonly namespacesPresent = new Set<string>();
  /** CRD name (= its resource) → why its custom resources cannot be restored. */
  private readonly crdProblems = new Map<string, string>();
  private readonly crdsRestored = new Set<string>();
  private readonly targets = new Map<string, TypeTarget>();

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
    let total = 0;
    for (const items of index.byResource.values()) for (const item of items) if (this.selection.decide(item)) total++;
    this.tally = new RestoreTally(env.logger, total, env.progress, env.onPlan);
    for (const name of resourceFilter.unmatched) this.tally.warn(undefined, `resource filter "${name}" matches no resource in the backup`);
    const orderedSource = Object.keys(filters.orderedResources).length > 0 ? filters.orderedResources : source.orderedResources;
    for (const [name, refs] of Object.entries(orderedSource)) {
      for (const resource of matchResourceName(name, resources, discovery)) this.ordered.set(resource, [...refs]);
    }
    const restoredOwners = new Set<string>();
    for (const [uid, owner] of index.owners) if (this.selection.decide(owner)?.action === 'restore') restoredOwners.add(uid);
    this.owners = new OwnerUids((uid) => restoredOwners.has(uid), index.ownerUids);
    const actions: ActionContext = {
      mapNamespace: (ns) => mapNamespace(request.namespaceMappings, ns),
      preserveNodePorts: request.preserveNodePorts,
      isTokenSecret: (ns, name) => index.tokenSecrets.has(`${ns}/${name}`),
    };
    this.concurrency = options.concurrency ?? defaultRestoreConcurrency;
    this.restorer = new ItemRestorer({ client: env.client, spool, request, actions, owners: this.owners, tally: this.tally, pending: this.pending });
  }

  async execute(): Promise<void> {
    const { logger } = this.env;
    logger.log('info', 'restore started', { restore: this.request.name, backup: this.request.backupName, dryRun: this.request.dryRun || undefined });
    let namespacesEnsured = false;
    for (const resource of orderResources(this.index.byResource.keys())) {
      const decided = this.decidedItems(resource);
      if (decided.length === 0) continue;
      if (!namespacesEnsured && resource !== crdResource && resource !== 'namespaces') {
        await this.ensureNamespaces();
        namespacesEnsured = true;
      }
      await this.restoreType(resource, decided);
      if (resource === crdResource) await this.waitForCrds();
    }
    if (!namespacesEnsured) await this.ensureNamespaces();
    await this.addWaitingOwners();
    const counts = this.tally.counter.totals();
    logger.log('info', 'restore finished', { ...counts, warnings: this.tally.warnings.count, errors: this.tally.errors.count });
  }

  outcome(startTime: Date, completionTime: Date, failureReason: string | undefined): RestoreOutcome {
    const errorCount = this.tally.errors.count;
    const phase: RestorePhase = failureReason !== undefined ? 'Failed' : errorCount > 0 ? 'PartiallyFailed' : 'Completed';
    return {
      phase,
      startTime,
      completionTime,
      counts: this.tally.counter.totals(),
      countsByResource: this.tally.counter.perResource(),
      warnings: this.tally.warnings.toJSON(),
      errors: this.tally.errors.toJSON(),
      warningCount: this.tally.warnings.count,
      errorCount,
      ...(failureReason !== undefined ? { failureReason } : {}),
    };
  }

  private decidedItems(resource: string): { item: IndexedItem; decision: Decision }[] {
    const all = this.index.byResource.get(resource) ?? [];
    const { items, missing } = orderItems(all, this.ordered.get(resource));
    for (const ref of missing) this.tally.warn(undefined, `ordered resource ${resource} ${ref} is not in the backup`);
    const decided: { item: IndexedItem; decision: Decision }[] = [];
    for (const item of items) {
      const decision = this.selection.decide(item);
      if (decision) decided.push({ item, decision });
    }
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

  private async restoreType(resource: string, decided: { item: IndexedItem; decision: Decision }[]): Promise<void> {
    const before = this.tally.counter.perResource()[resource];
    this.env.progress?.stage(resource);
    const willBeServed = this.request.dryRun && this.crdsRestored.has(resource);
    await runPool(decided, this.concurrency, async ({ item, decision }) => {
      const outcome = await this.restorer.restore(item, decision, this.target(item), willBeServed);
      if (decision.action !== 'restore' || outcome === 'failed') return;
      if (resource === crdResource) this.crdsRestored.add(item.name);
      if (resource === 'namespaces') this.namespacesPresent.add(mapNamespace(this.request.namespaceMappings, item.name));
    });
    const after = this.tally.counter.perResource()[resource];
    this.env.logger.log('info', 'resource restored', { resource, ...diffCounts(after, before) });
  }

  /** CRDs must be Established before their custom resources can be created (restore.md, Order). */
  private async waitForCrds(): Promise<void> {
    for (const crd of this.index.byResource.get(crdResource) ?? []) {
      if (this.selection.decide(crd)?.action === 'restore' && !this.crdsRestored.has(crd.name)) {
        this.crdProblems.set(crd.name, `its CustomResourceDefinition ${crd.name} could not be restored`);
      }
    }
    if (this.request.dryRun || this.crdsRestored.size === 0) return;
    const waitOptions = { timeoutMs: this.options.crdEstablishTimeoutMs ?? defaultCrdEstablishTimeoutMs, pollIntervalMs: this.options.crdPollIntervalMs ?? 250 };
    await runPool(this.crdsRestored, this.concurrency, async (name) => {
      const problem = await waitForEstablished(this.env.client, name, waitOptions);
      if (problem !== undefined) {
        this.crdProblems.set(name, problem);
        this.tally.errors.add(undefined, problem);
        this.env.logger.log('error', problem, { crd: name });
      }
    });
    this.discovery = await this.loadDiscovery();
    this.targets.clear();
    const served = new Set(this.discovery.all().map(qualifiedName));
    for (const name of this.crdsRestored) {
      if (!this.crdProblems.has(name) && !served.has(name)) this.crdProblems.set(name, `CustomResourceDefinition ${name} is Established but the API server does not serve ${name} yet`);
    }
  }

  /**
   * Items go into namespaces that the backup may not hold (filtered out, or a mapping's
   * target): those are made, bare but labelled as restored, before any namespaced item.
   */
  private async ensureNamespaces(): Promise<void> {
    const needed = new Set<string>();
    for (const items of this.index.byResource.values()) {
      for (const item of items) {
        if (item.namespace === undefined) continue;
        const target = mapNamespace(this.request.namespaceMappings, item.namespace);
        if (!this.namespacesPresent.has(target) && this.selection.decide(item)?.action === 'restore') needed.add(target);
      }
    }
    await runPool(needed, this.concurrency, async (name) => {
      const path = `/api/v1/namespaces/${encodeURIComponent(name)}`;
      try {
        await this.env.client.json({ method: 'GET', path });
        return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
      if (this.request.dryRun) {
        this.env.onPlan?.({ action: 'create', resource: 'namespaces', namespace: undefined, name, detail: 'not in the backup; made for its items' });
        return;
      }
      const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
      addRestoreLabels(namespace, this.request.backupName, this.request.name);
      try {
        await this.env.client.json({ method: 'POST', path: '/api/v1/namespaces', body: namespace });
        this.tally.extra('namespaces', 'created');
        this.env.logger.log('info', 'namespace created for restored items', { namespace: name });
      } catch (err) {
        if (isFatal(err)) throw err;
        this.tally.errors.add(undefined, `namespace ${name} could not be created for its items: ${apiProblem(err)}`);
      }
    });
  }

  /** Items created before their owners get their owner references now that the owners exist. */
  private async addWaitingOwners(): Promise<void> {
    await runPool(this.pending, this.concurrency, async (pending) => {
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

function diffCounts(after: RestoreCounts | undefined, before: RestoreCounts | undefined): RestoreCounts {
  const a = after ?? { created: 0, updated: 0, skipped: 0, failed: 0 };
  const b = before ?? { created: 0, updated: 0, skipped: 0, failed: 0 };
  return { created: a.created - b.created, updated: a.updated - b.updated, skipped: a.skipped - b.skipped, failed: a.failed - b.failed };
}
