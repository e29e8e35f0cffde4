import { randomUUID } from 'node:crypto';
import { constants as fsConstants, createWriteStream, type Dirent } from 'node:fs';
import { link, lstat, mkdir, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadInputError, CliError, errorMessage } from '../errors.js';
import { DigestingStream } from './digesting-stream.js';
import { assertValidKey } from './object-key.js';
import type { AbandonedWritesOptions, ListedObject, ObjectInfo, ObjectStore, PutOptions, StoredObject } from './object-store.js';
import { ObjectExistsError, ObjectNotFoundError, StorageError } from './storage-errors.js';

/** Bytes a file is read in: each read is a thread-pool round trip that the reader waits for, and 64 KiB (the default) makes an archive of megabytes hundreds of them. */
const readChunkBytes = 1024 * 1024;

/**
 * Where writes in progress live, at the root of the location: a key never names a
 * half-written file, and a process killed mid-write leaves its debris in one place.
 * Keys cannot start with a dot segment named like this one (see list()).
 */
export const PARTIAL_DIR = '.partial';

/** Objects as files under a directory: local disk, NFS, or a volume mounted into a pod. */
export class FileObjectStore implements ObjectStore {
  readonly supportsRetention = false;

  constructor(readonly root: string) {
    if (!root.startsWith('/')) throw new BadInputError(`storage directory must be an absolute path, got ${JSON.stringify(root)}`);
  }

  describe(): string {
    return pathToFileURL(this.root).href;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    try {
      options.signal?.throwIfAborted();
      this.checkKey(key);
      if (options.retention) {
        throw new BadInputError(`${this.describe()} is a directory and cannot keep objects under retention; object lock needs an S3 location`);
      }
      const target = this.pathOf(key);
      // Refusing before reading the body spares streaming a whole archive only to be refused.
      if (await exists(target)) throw new ObjectExistsError(key, this.describe());
    } catch (err) {
      body.destroy();
      throw err;
    }

    const partialDir = join(this.root, PARTIAL_DIR);
    const partial = join(partialDir, randomUUID());
    const digest = new DigestingStream();
    let bodyError: unknown;
    body.once('error', (err) => (bodyError ??= err));
    try {
      await mkdir(partialDir, { recursive: true });
      await this.requireRealDirectories(`${PARTIAL_DIR}/`);
      // flush: the file reaches the disk before it is published; the record is the commit
      // point and must not outlive a crash that loses the artifacts it lists.
      await pipeline(body, digest, createWriteStream(partial, { flags: 'wx', mode: 0o644, flush: true }), ...(options.signal ? [{ signal: options.signal }] : []));
      await this.publish(partial, key);
      await syncDirectory(dirname(this.pathOf(key)));
      return { key, size: digest.byteCount, sha256: digest.sha256 };
    } catch (err) {
      body.destroy();
      // Aborting destroys the body too: the abort is what happened, as for every store.
      if (options.signal?.aborted) throw options.signal.reason ?? err;
      // The body's own failure (the archive could not be built) is the caller's to report.
      if (bodyError !== undefined) throw bodyError;
      throw this.failure('write', key, err);
    } finally {
      await unlink(partial).catch(() => undefined);
    }
  }

  async get(key: string): Promise<Readable> {
    this.checkKey(key);
    try {
      // Like list(), never follow a symbolic link out of the location: O_NOFOLLOW for the file,
      // realDirectories() for the directories on the way to it.
      if (!(await this.realDirectories(key))) throw new ObjectNotFoundError(key, this.describe());
      const handle = await open(this.pathOf(key), fsConstants.O_RDONLY | fsConstants.O_NOFOLLOW);
      if (!(await handle.stat()).isFile()) {
        await handle.close();
        throw new ObjectNotFoundError(key, this.describe());
      }
      return handle.createReadStream({ highWaterMark: readChunkBytes });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (isMissing(err) || code === 'EISDIR' || code === 'ELOOP') throw new ObjectNotFoundError(key, this.describe());
      throw this.failure('read', key, err);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    this.checkKey(key);
    try {
      if (!(await this.realDirectories(key))) return undefined;
      const info = await lstat(this.pathOf(key));
      return info.isFile() ? { size: info.size, lastModified: info.mtime } : undefined;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw this.failure('stat', key, err);
    }
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    // Start at the deepest directory the prefix names; the rest of it filters names.
    const slash = prefix.lastIndexOf('/');
    const startDir = slash < 0 ? '' : prefix.slice(0, slash + 1);
    if (startDir) assertValidKey(startDir.slice(0, -1));
    // A linked directory on the way would list, and then have deleted, files outside.
    if (!(await this.realDirectories(startDir))) return;
    yield* this.walk(startDir, prefix);
  }

  async delete(key: string): Promise<void> {
    this.checkKey(key);
    try {
      // unlink() would follow a linked directory on the way and delete a file outside.
      if (!(await this.realDirectories(key))) return;
      await unlink(this.pathOf(key));
    } catch (err) {
      if (isMissing(err)) return;
      throw this.failure('delete', key, err);
    }
    await this.removeEmptyParents(key);
  }

  /**
   * The partial files of writes that a killed process left, last written before `olderThan`
   * (a write in progress keeps its file's time current).
   */
  async removeAbandonedWrites(olderThan: Date, options: AbandonedWritesOptions = {}): Promise<number> {
    const partialDir = join(this.root, PARTIAL_DIR);
    let removed = 0;
    if (!(await this.realDirectories(`${PARTIAL_DIR}/`))) return 0;
    for (const entry of await readdir(partialDir, { withFileTypes: true }).catch(() => [] as Dirent[])) {
      const path = join(partialDir, entry.name);
      const info = await lstat(path).catch(() => undefined);
      if (!info?.isFile() || info.mtime >= olderThan) continue;
      // Gone meanwhile (another gc): not this one's to count.
      if (options.dryRun || (await unlink(path).then(() => true, () => false))) removed++;
    }
    return removed;
  }

  /** Moves a finished write to its key, refusing atomically when the key exists. */
  private async publish(partial: string, key: string): Promise<void> {
    const target = this.pathOf(key);
    try {
      await mkdir(dirname(target), { recursive: true });
      await this.requireRealDirectories(key);
      // link() fails when the target exists, where rename() would silently replace it.
      await link(partial, target).catch(async (err: unknown) => {
        // A delete elsewhere may remove the directory, once empty, between mkdir and link.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        await mkdir(dirname(target), { recursive: true });
        await link(partial, target);
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new ObjectExistsError(key, this.describe());
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
      // Filesystems without hard links (some FUSE and SMB mounts): check, then rename. Racy,
      // but only against another writer of the same backup name at the same moment.
      if (await exists(target)) throw new ObjectExistsError(key, this.describe());
      await rename(partial, target);
    }
  }

  private async *walk(dir: string, prefix: string): AsyncGenerator<ListedObject> {
    let entries: Dirent[];
    try {
      entries = await readdir(join(this.root, dir), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return;
      throw this.failure('list', dir || '/', err);
    }
    // Sorting each directory by name + '/' for subdirectories yields keys in the same
    // byte order as a full-key sort, the order S3 lists in.
    const named = entries
      .filter((entry) => !(dir === '' && entry.name === PARTIAL_DIR))
      .map((entry) => ({ entry, sortKey: entry.isDirectory() ? `${entry.name}/` : entry.name }))
      .sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const { entry } of named) {
      const key = dir + entry.name;
      if (entry.isDirectory()) {
        const asDir = `${key}/`;
        if (asDir.startsWith(prefix) || prefix.startsWith(asDir)) yield* this.walk(asDir, prefix);
      } else if (entry.isFile() && key.startsWith(prefix)) {
        // Symbolic links and other special files are not objects: never followed out of the root.
        const info = await stat(join(this.root, key)).catch(() => undefined);
        if (info) yield { key, size: info.size, lastModified: info.mtime };
      }
    }
  }

  private async removeEmptyParents(key: string): Promise<void> {
    const segments = key.split('/').slice(0, -1);
    while (segments.length > 0) {
      try {
        await rmdir(join(this.root, ...segments));
      } catch {
        // Not empty, or another writer is using it: both mean stop here.
        return;
      }
      segments.pop();
    }
  }

  /**
   * Whether every directory between the root and `key` that exists is a directory of its own,
   * not a symbolic link (nor a file). The location may be shared (NFS, a volume): a link put in
   * it must not make a backup, a restore or gc read, write or delete files elsewhere. What does
   * not exist yet is fine: mkdir makes real directories. The root itself may be a link.
   */
  private async realDirectories(key: string): Promise<boolean> {
    const segments = key.split('/').slice(0, -1);
    for (let depth = 1; depth <= segments.length; depth++) {
      const info = await lstat(join(this.root, ...segments.slice(0, depth))).catch((err: unknown) => {
        if (isMissing(err)) return undefined;
        throw err;
      });
      if (info === undefined) return true;
      if (!info.isDirectory()) return false;
    }
    return true;
  }

  private async requireRealDirectories(key: string): Promise<void> {
    if (!(await this.realDirectories(key))) {
      throw new StorageError(`cannot write "${key}" in ${this.describe()}: a directory on its path is a symbolic link or a file, and links are never followed out of the location`);
    }
  }

  private checkKey(key: string): void {
    assertValidKey(key);
    if (key === PARTIAL_DIR || key.startsWith(`${PARTIAL_DIR}/`)) {
      throw new BadInputError(`invalid object key ${JSON.stringify(key)}: "${PARTIAL_DIR}/" is where writes in progress live`);
    }
  }

  private pathOf(key: string): string {
    return join(this.root, ...key.split('/'));
  }

  private failure(action: string, key: string, err: unknown): Error {
    if (err instanceof CliError) return err;
    if ((err as Error | undefined)?.name === 'AbortError') return err as Error;
    return new StorageError(`cannot ${action} "${key}" in ${this.describe()}: ${errorMessage(err)}`, { cause: err });
  }
}

function isMissing(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/** Makes a new directory entry durable; best effort, as not every filesystem allows it. */
async function syncDirectory(path: string): Promise<void> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some network filesystems refuse fsync on directories; the data itself is flushed.
  } finally {
    await handle.close();
  }
}
