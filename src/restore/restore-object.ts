import { randomUUID } from 'node:crypto';
import { OwnObjects } from '../cluster-records/own-objects.js';
import { errorMessage } from '../errors.js';
import { groupVersion, ownResources, runIdAnnotation } from '../install/api-group.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { RestoreRecord, RestoreStatus } from '../storage/restore-record.js';
import { noProgress, type ProgressReporter } from '../progress/progress-reporter.js';

export interface RestoreProgress {
  done: number;
  total: number;
}

/**
 * Where a restore shows itself in the cluster while it runs and after: the `Restore` object
 * (restore.md, Result). Storage holds the record that counts; this is a mirror, so failing to
 * write it is a warning, never a failed restore.
 */
export interface RestoreStatusSink {
  /** Need not be awaited: the sink's writes go in the order they were asked for. */
  started(record: Pick<RestoreRecord, 'metadata' | 'spec'>, startTimestamp: string): Promise<void>;
  progress(progress: RestoreProgress): void;
  /** After every write asked for before it, started's included. */
  finished(record: RestoreRecord): Promise<void>;
  /**
   * The restore ended without a record (restore.md, Result: exit 1): what started shows
   * Failed, with why. After every write asked for before it; never throws, as the others.
   */
  failed(failure: RestoreFailure): Promise<void>;
}

/** Why and when a restore that had started ended without its record. */
export interface RestoreFailure {
  readonly failureReason: string;
  readonly completionTimestamp: string;
  /**
   * The status the run would have recorded, when it ran to its end and only its record could
   * not be stored: its counts still tell what it did; the failure's phase, reason and time win.
   */
  readonly ran?: RestoreStatus;
}

export const noRestoreStatus: RestoreStatusSink = {
  started: async () => undefined,
  progress: () => undefined,
  finished: async () => undefined,
  failed: async () => undefined,
};

const progressEveryMs = 2000;


/** Progress as the Restore object's status names it. */
function progressStatus(progress: RestoreProgress): { progress: { totalItems: number; itemsRestored: number } } {
  return { progress: { totalItems: progress.total, itemsRestored: progress.done } };
}

/** The `Restore` object in the tool namespace, when the CRDs are installed. */
export class RestoreObject extends OwnObjects implements RestoreStatusSink {
  private readonly runId = randomUUID();
  /** Set once the object exists. */
  private name: string | undefined;
  private lastProgress = 0;
  /** The newest numbers, written or not: the final status carries them. */
  private latest: RestoreProgress | undefined;
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    client: KubeClient,
    namespace: string,
    private readonly logger: Logger,
    private readonly storageLocation: string,
  ) {
    super(client, namespace, 'restores');
  }

  /**
   * The sink for this cluster: the Restore object when our CRDs are served, else nothing.
   * @param storageLocation the location restored from and recorded in, as a Backup object names
   *   it (its name, or its URL): deleting a backup finds the objects of its restores by it
   */
  static async forCluster(client: KubeClient, namespace: string, logger: Logger, storageLocation: string): Promise<RestoreStatusSink> {
    const object = new RestoreObject(client, namespace, logger, storageLocation);
    try {
      if (!(await object.available())) return noRestoreStatus;
    } catch (err) {
      logger.log('warn', 'cannot tell whether the Restore CRD is installed; no Restore object is written', { error: errorMessage(err) });
      return noRestoreStatus;
    }
    return object;
  }

  started(record: Pick<RestoreRecord, 'metadata' | 'spec'>, startTimestamp: string): Promise<void> {
    const name = record.metadata.name;
    this.writing = this.writing.then(() =>
      this.attempt('create', async () => {
        const metadata = { name, namespace: this.namespace, labels: record.metadata.labels, annotations: { [runIdAnnotation]: this.runId } };
        // The location, as a Backup object names it; the record needs none: it lives there.
        const spec = { ...record.spec, storageLocation: this.storageLocation };
        await this.post({ apiVersion: groupVersion, kind: ownResources.restores.kind, metadata, spec });
        this.name = name;
        await this.patchStatus(name, { phase: 'InProgress', startTimestamp });
      }),
    );
    return this.writing;
  }

  progress(progress: RestoreProgress): void {
    this.latest = progress;
    const name = this.name;
    if (name === undefined || Date.now() - this.lastProgress < progressEveryMs) return;
    this.lastProgress = Date.now();
    // One status write at a time; progress is a hint, later ones replace earlier ones.
    this.writing = this.writing.then(() => this.attempt('update', () => this.patchStatus(name, progressStatus(progress))));
  }

  finished(record: RestoreRecord): Promise<void> {
    return this.end(record.status);
  }

  failed(failure: RestoreFailure): Promise<void> {
    const { ran, ...reason } = failure;
    return this.end({ ...ran, phase: 'Failed', ...reason });
  }

  /**
   * The last status, after every write asked for before it, with the newest numbers: a merge
   * patch keeps what it does not name, so without them the last throttled ones would stay.
   */
  private async end(status: Partial<RestoreStatus>): Promise<void> {
    await this.writing;
    const name = this.name;
    if (name === undefined) return;
    await this.attempt('update', () => this.patchStatus(name, { ...status, ...(this.latest ? progressStatus(this.latest) : {}) }));
  }

  private async attempt(what: string, write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (err) {
      this.logger.log('warn', `could not ${what} the Restore object`, { namespace: this.namespace, error: errorMessage(err) });
    }
  }
}

/** A progress reporter that also tells the sink (the Restore object's status). */
export function withStatusProgress(reporter: ProgressReporter = noProgress, sink: RestoreStatusSink): ProgressReporter {
  const counts = { done: 0, total: 0 };
  return {
    expect: (count) => {
      counts.total += count;
      reporter.expect(count);
      // The total alone is news too: a restore with no items, or failing before its first, has no other.
      sink.progress({ ...counts });
    },
    advance: (count) => {
      counts.done += count;
      reporter.advance(count);
      sink.progress({ ...counts });
    },
    stage: (label) => reporter.stage(label),
    finish: () => reporter.finish(),
  };
}
