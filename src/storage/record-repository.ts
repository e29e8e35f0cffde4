import pLimit from 'p-limit';
import { dirOf, kindDir, parseKey, RECORD_FILE, recordKey, veleroRecordKey, type RecordKind } from './layout.js';
import type { ListedObject, ObjectStore, Retention, StoredObject } from './object-store.js';
import type { RecordMetadata, RecordOutcome } from './record-envelope.js';
import { assertArtifactsStored, readRecordJson, writeRecordJson } from './record-io.js';
import { RecordExistsError, RecordLockedError, RecordNotFoundError, veleroBackupInstead } from './repository-errors.js';
import { ObjectExistsError, ObjectLockedError, StorageError } from './storage-errors.js';

export interface RecordRepositoryOptions {
  /** Records read at once when listing. */
  readonly concurrency?: number;
  /** How messages name the location, e.g. 'location "default"'; defaults to its URL. */
  readonly locationLabel?: string;
}

export interface RecordListing<R> {
  readonly records: R[];
  /** Records that exist but cannot be read or do not validate; listing goes on without them. */
  readonly unreadable: { readonly name: string; readonly error: Error }[];
  /** Names with Velero's record and not ours (backups only): not backups of this tool, but worth telling a Velero user of. */
  readonly veleroOnly: string[];
}

/** Objects under NAME/ with no record: a backup or restore that never finished. */
export interface Orphan {
  readonly name: string;
  readonly objects: readonly ListedObject[];
  /** When the newest of them was written: a run still going keeps writing. */
  readonly lastModified: Date;
  readonly ageMs: number;
}

export interface RemovedRecord {
  readonly name: string;
  /** Every key removed, the record first. */
  readonly removed: readonly string[];
  /**
   * Keys left under the name because a Velero backup of the same name shares the directory:
   * they are (or may be) its files. Empty otherwise.
   */
  readonly kept: readonly string[];
}

/**
 * Backups or restores as the storage location holds them: a name exists when, and only when,
 * its record exists (storage.md). Records are parsed by `parse`, which validates them.
 */
export class RecordRepository<R extends { readonly metadata: RecordMetadata; readonly status: RecordOutcome }> {
  protected readonly locationLabel: string;
  private readonly concurrency: number;

  constructor(
    readonly store: ObjectStore,
    readonly kind: RecordKind,
    private readonly parse: (json: unknown, key: string, name: string) => R,
    options: RecordRepositoryOptions = {},
  ) {
    this.locationLabel = options.locationLabel ?? store.describe();
    this.concurrency = Math.max(1, options.concurrency ?? 16);
  }

  /** Names that have a record, in key order. */
  async names(): Promise<string[]> {
    return (await this.scanNames()).ours;
  }

  /** Names with our record, and, in the same listing, names with only Velero's. */
  private async scanNames(): Promise<{ ours: string[]; veleroOnly: string[] }> {
    const ours: string[] = [];
    const velero: string[] = [];
    for await (const object of this.store.list(kindDir(this.kind))) {
      const parsed = parseKey(this.kind, object.key);
      if (parsed?.file === RECORD_FILE) ours.push(parsed.name);
      else if (parsed !== undefined && this.isVeleroRecord(parsed.name, object.key)) velero.push(parsed.name);
    }
    const recorded = new Set(ours);
    return { ours, veleroOnly: velero.filter((name) => !recorded.has(name)) };
  }

  async list(): Promise<RecordListing<R>> {
    const { ours: names, veleroOnly } = await this.scanNames();
    const limit = pLimit(this.concurrency);
    const results = await Promise.all(
      names.map((name) =>
        limit(async (): Promise<{ name: string; record?: R; error?: Error }> => {
          try {
            return { name, record: await this.get(name) };
          } catch (err) {
            if (err instanceof StorageError) throw err;
            return { name, error: err instanceof Error ? err : new Error(String(err)) };
          }
        }),
      ),
    );
    const listing: RecordListing<R> = { records: [], unreadable: [], veleroOnly };
    for (const result of results) {
      if (result.error) listing.unreadable.push({ name: result.name, error: result.error });
      // A record deleted between listing and reading is simply gone.
      else if (result.record !== undefined) listing.records.push(result.record);
    }
    return listing;
  }

  /** The record, or undefined when there is none. @throws InvalidRecordError */
  async get(name: string): Promise<R | undefined> {
    const key = recordKey(this.kind, name);
    const json = await readRecordJson(this.store, key);
    return json === undefined ? undefined : this.parse(json, key, name);
  }

  /**
   * Writes the record: the name exists from now on. Call it last, once every artifact it
   * lists is stored. The record is checked as a reader will check it, and every artifact must
   * be in the store with its recorded size.
   * @throws RecordExistsError when another run committed the name first
   */
  async commit(record: R, retention?: Retention): Promise<StoredObject> {
    const name = record.metadata.name;
    const key = recordKey(this.kind, name);
    const checked = this.parse(JSON.parse(JSON.stringify(record)) as unknown, key, name);
    await assertArtifactsStored(this.store, key, checked.status.artifacts);
    try {
      return await writeRecordJson(this.store, key, checked, retention);
    } catch (err) {
      if (err instanceof ObjectExistsError) throw new RecordExistsError(this.kind, name);
      throw err;
    }
  }

  /** @throws RecordNotFoundError (bad input: exit code 2) */
  async require(name: string): Promise<R> {
    const record = await this.get(name);
    if (record === undefined) throw await this.notFound(name);
    return record;
  }

  /** The error for a name without a record, which says so when Velero has a backup of the name. */
  async notFound(name: string, locationLabel = this.locationLabel): Promise<RecordNotFoundError> {
    // Only to explain the refusal: a store that cannot answer leaves the plain message.
    const isVelero = await this.hasVeleroRecord(name).catch(() => false);
    return new RecordNotFoundError(this.kind, name, locationLabel, isVelero ? veleroBackupInstead : undefined);
  }

  async exists(name: string): Promise<boolean> {
    return (await this.store.head(recordKey(this.kind, name))) !== undefined;
  }

  /**
   * Makes way for a new run under `name`: refuses a name that has a record, and removes what
   * a run that died before its record left behind (storage.md: re-running create works).
   * @returns the keys removed
   * @throws RecordExistsError, RecordLockedError
   */
  async prepareCreate(name: string): Promise<string[]> {
    const keys = await this.leftovers(name);
    await this.removeLeftovers(name, keys);
    return keys;
  }

  /**
   * The read-only half of prepareCreate, for callers that have other reads to make meanwhile:
   * refuses a name that has a record, ours or Velero's, and lists what an unfinished earlier
   * run left.
   * @returns the keys to give removeLeftovers
   * @throws RecordExistsError
   */
  async leftovers(name: string): Promise<string[]> {
    const keys = (await this.objectsOf(name)).map((object) => object.key);
    if (keys.includes(recordKey(this.kind, name))) throw new RecordExistsError(this.kind, name);
    // Velero's backups share the layout: one under the name is a finished backup, not debris.
    if (this.holdsVeleroRecord(name, keys)) throw new RecordExistsError(this.kind, name, 'a Velero backup');
    // Where Velero keeps no record (its restores), its files are named as ours are: what a run
    // that died left cannot be told from Velero's finished work under the name. Neither is removed.
    if (veleroRecordKey(this.kind, name) === undefined && keys.length > 0) {
      throw new RecordExistsError(this.kind, name, `its directory holds objects without a record: a Velero ${this.kind} of that name, or what an unfinished ${this.kind} left`);
    }
    return keys;
  }

  /**
   * The other half: removes what leftovers() listed.
   * @throws RecordLockedError
   */
  async removeLeftovers(name: string, keys: readonly string[]): Promise<void> {
    try {
      await this.removeAll(keys);
    } catch (err) {
      if (err instanceof ObjectLockedError) {
        throw new RecordLockedError(this.kind, name, err.retainUntil, 'cannot be created again yet, because an unfinished earlier run left objects', { cause: err });
      }
      throw err;
    }
  }

  /**
   * Deletes the record first, so that the name disappears at once, then every object under
   * the name's directory, unless a Velero backup of the same name shares it (Velero checks
   * only its own record before writing): then the rest is kept, and said so. When retention
   * refuses the record, nothing is removed.
   * @throws RecordNotFoundError, RecordLockedError
   */
  async delete(name: string): Promise<RemovedRecord> {
    const key = recordKey(this.kind, name);
    if (!(await this.exists(name))) throw await this.notFound(name);
    try {
      await this.store.delete(key);
    } catch (err) {
      if (err instanceof ObjectLockedError) throw new RecordLockedError(this.kind, name, err.retainUntil, 'cannot be deleted yet', { cause: err });
      throw err;
    }
    const rest = (await this.objectsOf(name)).map((object) => object.key).filter((other) => other !== key);
    if (this.holdsVeleroRecord(name, rest)) return { name, removed: [key], kept: rest };
    try {
      await this.removeAll(rest);
    } catch (err) {
      throw new StorageError(
        `${this.kind} "${name}" is deleted (its record is gone), but some of its objects could not be removed; \`kubectl backup gc\` removes them later: ${(err as Error).message}`,
        { cause: err },
      );
    }
    return { name, removed: [key, ...rest], kept: [] };
  }

  /** Directories without a record, oldest first by their newest object. */
  async orphans(now: Date = new Date()): Promise<Orphan[]> {
    const byName = new Map<string, { objects: ListedObject[]; finished: boolean }>();
    for await (const object of this.store.list(kindDir(this.kind))) {
      const parsed = parseKey(this.kind, object.key);
      if (!parsed) continue;
      const entry = byName.get(parsed.name) ?? { objects: [], finished: false };
      entry.objects.push(object);
      // Velero's own backups share the layout; one of its records makes the directory finished too.
      if (parsed.file === RECORD_FILE || this.isVeleroRecord(parsed.name, object.key)) entry.finished = true;
      byName.set(parsed.name, entry);
    }
    const orphans: Orphan[] = [];
    for (const [name, { objects, finished }] of byName) {
      if (finished) continue;
      const lastModified = new Date(Math.max(...objects.map((object) => object.lastModified.getTime())));
      orphans.push({ name, objects, lastModified, ageMs: now.getTime() - lastModified.getTime() });
    }
    return orphans.sort((a, b) => a.lastModified.getTime() - b.lastModified.getTime());
  }

  /** Removes an orphan's objects, unless a record, ours or Velero's, appeared meanwhile (the run finished). */
  async deleteOrphan(orphan: Orphan): Promise<string[]> {
    if (await this.finished(orphan.name)) return [];
    const keys = orphan.objects.map((object) => object.key);
    try {
      await this.removeAll(keys);
    } catch (err) {
      if (err instanceof ObjectLockedError) throw new RecordLockedError(this.kind, orphan.name, err.retainUntil, 'left unfinished objects that cannot be removed yet', { cause: err });
      throw err;
    }
    return keys;
  }

  private async finished(name: string): Promise<boolean> {
    const [ours, theirs] = await Promise.all([this.exists(name), this.hasVeleroRecord(name)]);
    return ours || theirs;
  }

  /** Whether a key under a name is Velero's record: its backups share the layout (storage.md). */
  private isVeleroRecord(name: string, key: string): boolean {
    return key === veleroRecordKey(this.kind, name);
  }

  /** Whether a listing of the name's directory holds Velero's record. */
  private holdsVeleroRecord(name: string, keys: readonly string[]): boolean {
    return keys.some((key) => this.isVeleroRecord(name, key));
  }

  private async hasVeleroRecord(name: string): Promise<boolean> {
    const velero = veleroRecordKey(this.kind, name);
    return velero !== undefined && (await this.store.head(velero)) !== undefined;
  }

  private async objectsOf(name: string): Promise<ListedObject[]> {
    const objects: ListedObject[] = [];
    for await (const object of this.store.list(dirOf(this.kind, name))) objects.push(object);
    return objects;
  }

  private async removeAll(keys: readonly string[]): Promise<void> {
    const limit = pLimit(this.concurrency);
    const results = await Promise.allSettled(keys.map((key) => limit(() => this.store.delete(key))));
    const failure = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) throw failure.reason;
  }
}
