import { noStatusSink, type BackupStatusSink, type LiveBackupStatus, type LivePhase } from '../backup/backup-status-sink.js';
import { BadInputError, errorMessage } from '../errors.js';
import { isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { BackupObjectIdentity } from './backup-object.js';
import { BackupObjects } from './backup-objects.js';
import { newBackupRun, type BackupRun } from './backup-run.js';
import { localProcessTable } from './process-table.js';

export interface BackupObjectSinkOptions {
  /** At most one progress write per this many milliseconds (phase changes are written at once). */
  readonly minIntervalMs?: number;
  /** While the backup runs, the status is written at least this often, so a dead run shows. */
  readonly heartbeatMs?: number;
  readonly now?: () => Date;
  /** The run recorded in the object (default: a new run of this process). */
  readonly run?: BackupRun;
}

const terminal: ReadonlySet<LivePhase> = new Set(['Completed', 'PartiallyFailed', 'Failed']);

/**
 * Keeps the `Backup` object of a running backup current (backup.md, Records and results): the
 * object is created on the first update, its status is written at once on every phase change
 * and, for progress, at most once a second with the latest numbers (a trailing write, so the
 * last numbers of a burst are not lost). One write at a time, in order.
 *
 * The object is a mirror: a failure to write it is logged and never fails the backup. An
 * object deleted by hand while the backup runs stays deleted (the user asked for that;
 * `kubectl backup sync` brings it back from the record).
 */
export class BackupObjectSink implements BackupStatusSink {
  private readonly minIntervalMs: number;
  private readonly heartbeatMs: number;
  private readonly now: () => Date;
  private readonly run: BackupRun;
  private state: 'absent' | 'present' | 'abandoned' = 'absent';
  private chain: Promise<void> = Promise.resolve();
  private phase: LivePhase | undefined;
  /** The newest status seen: what a trailing or heartbeat write sends. */
  private latest: LiveBackupStatus | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private trailing: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private warned = false;

  constructor(
    private readonly objects: BackupObjects,
    private readonly identity: BackupObjectIdentity,
    private readonly logger: Logger,
    options: BackupObjectSinkOptions = {},
  ) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.heartbeatMs = options.heartbeatMs ?? 30_000;
    this.now = options.now ?? (() => new Date());
    this.run = options.run ?? newBackupRun(localProcessTable());
  }

  /**
   * The sink for a backup: its `Backup` object when the CRDs are installed, else one that
   * writes nothing (plain `kubectl backup create` works without them; schedules.md).
   */
  static async forCluster(client: KubeClient, namespace: string, identity: BackupObjectIdentity, logger: Logger, options: BackupObjectSinkOptions = {}): Promise<BackupStatusSink> {
    const objects = new BackupObjects(client, namespace);
    try {
      if (!(await objects.available())) return noStatusSink;
    } catch (err) {
      logger.log('warn', 'cannot tell whether the Backup CRD is installed; no Backup object is written', { error: errorMessage(err) });
      return noStatusSink;
    }
    return new BackupObjectSink(objects, identity, logger, options);
  }

  /**
   * Creates the object, and writes the status without waiting for it: only the create has to
   * be done before the backup writes to storage, as it is what claims the name.
   */
  async begin(status: LiveBackupStatus): Promise<void> {
    this.latest = status;
    this.phase = status.phase;
    const created = this.chain.then(() => this.create(true));
    this.chain = created.catch(() => undefined);
    await created;
    this.startHeartbeat();
    void this.enqueue(status);
  }

  update(status: LiveBackupStatus): void | Promise<void> {
    this.latest = status;
    if (status.phase !== this.phase || terminal.has(status.phase)) {
      this.phase = status.phase;
      this.cancelTrailing();
      if (terminal.has(status.phase)) this.stopHeartbeat();
      else this.startHeartbeat();
      return this.enqueue(status);
    }
    if (this.trailing) return;
    const wait = Math.max(0, this.lastWriteAt + this.minIntervalMs - this.now().getTime());
    this.trailing = setTimeout(() => {
      this.trailing = undefined;
      if (this.latest) void this.enqueue(this.latest);
    }, wait);
    this.trailing.unref();
  }

  /** Resolves when every write asked for so far is done. */
  settled(): Promise<void> {
    return this.chain;
  }

  private enqueue(status: LiveBackupStatus): Promise<void> {
    this.chain = this.chain.then(() => this.write(status));
    return this.chain;
  }

  private async write(status: LiveBackupStatus): Promise<void> {
    await this.create(false);
    if (this.state !== 'present') return;
    this.lastWriteAt = this.now().getTime();
    try {
      await this.objects.patchStatus(this.identity.name, statusPatch(status, this.now()));
    } catch (err) {
      this.failed(err);
    }
  }

  /** @param claiming rethrow a refusal of the name (BadInputError): the run must not go on */
  private async create(claiming: boolean): Promise<void> {
    if (this.state !== 'absent') return;
    this.lastWriteAt = this.now().getTime();
    try {
      await this.objects.create(this.identity, this.run);
      this.state = 'present';
    } catch (err) {
      if (claiming && err instanceof BadInputError) {
        // Not ours to write: nothing more goes to another run's object.
        this.state = 'abandoned';
        this.stopHeartbeat();
        throw err;
      }
      this.failed(err);
    }
  }

  private failed(err: unknown): void {
    if (this.state === 'present' && isNotFound(err)) {
      this.state = 'abandoned';
      this.stopHeartbeat();
      this.logger.log('info', 'the Backup object was deleted while the backup runs; it is not written again', { backup: this.identity.name });
      return;
    }
    if (this.state === 'absent') {
      // Without the object there is nothing to update: one warning, and no more requests.
      this.state = 'abandoned';
      this.stopHeartbeat();
    }
    this.logger.log(this.warned ? 'debug' : 'warn', 'could not write the Backup object; the backup goes on (storage holds its record)', {
      backup: this.identity.name,
      namespace: this.objects.namespace,
      error: errorMessage(err),
    });
    this.warned = true;
  }

  private cancelTrailing(): void {
    if (this.trailing) clearTimeout(this.trailing);
    this.trailing = undefined;
  }

  private startHeartbeat(): void {
    if (this.heartbeat || this.heartbeatMs <= 0) return;
    this.heartbeat = setInterval(() => {
      if (this.latest && this.now().getTime() - this.lastWriteAt >= this.heartbeatMs / 2) void this.enqueue(this.latest);
    }, this.heartbeatMs);
    this.heartbeat.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}

/**
 * The status as a merge patch. `expiration: null` (never expires) is left out: in a merge patch
 * null removes a field, and an object without an expiry never expires.
 */
export function statusPatch(status: LiveBackupStatus, now: Date): Record<string, unknown> {
  return {
    phase: status.phase,
    ...(status.startTimestamp !== undefined ? { startTimestamp: status.startTimestamp } : {}),
    ...(status.completionTimestamp !== undefined ? { completionTimestamp: status.completionTimestamp } : {}),
    ...(typeof status.expiration === 'string' ? { expiration: status.expiration } : {}),
    progress: { totalItems: status.totalItems, itemsBackedUp: status.itemsBackedUp },
    ...(status.warnings !== undefined ? { warnings: status.warnings } : {}),
    ...(status.errors !== undefined ? { errors: status.errors } : {}),
    ...(status.failureReason !== undefined ? { failureReason: status.failureReason } : {}),
    lastUpdateTimestamp: now.toISOString(),
  };
}
