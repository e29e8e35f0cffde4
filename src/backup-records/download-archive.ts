import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BadInputError } from '../errors.js';
import { openVerifiedArtifact } from '../storage/artifact-integrity.js';
import type { BackupRecord } from '../storage/backup-record.js';
import { backupKeys } from '../storage/layout.js';
import type { ObjectStore } from '../storage/object-store.js';
import { recordedArtifact } from './backup-artifacts.js';

export interface DownloadTarget {
  /** Absolute path of the file to write. */
  readonly path: string;
  /** Replace a file that is there. */
  readonly force: boolean;
}

export interface DownloadResult {
  readonly path: string;
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
}

/** `NAME-data.tar.gz` in the current directory, as Velero names it. */
export function defaultDownloadPath(name: string, cwd: string = process.cwd()): string {
  return join(cwd, `${name}-data.tar.gz`);
}

/**
 * Checks the target before anything is read from storage (bad input, exit 2): its directory
 * must exist, and a file already there is kept unless `force`.
 */
export async function checkDownloadTarget(path: string, force: boolean): Promise<DownloadTarget> {
  // resolve() drops a trailing separator: `-o dir/` would otherwise become a file named dir.
  if (path.endsWith('/') || path.endsWith(sep)) throw new BadInputError(`cannot write ${path}: it names a directory; give a file name with -o`);
  const absolute = resolve(path);
  const dir = await stat(dirname(absolute)).catch(() => undefined);
  if (!dir?.isDirectory()) throw new BadInputError(`cannot write ${absolute}: directory ${dirname(absolute)} does not exist`);
  const existing = await stat(absolute).catch(() => undefined);
  if (existing?.isDirectory()) throw new BadInputError(`cannot write ${absolute}: it is a directory; give a file name with -o`);
  if (existing && !force) throw alreadyThere(absolute);
  return { path: absolute, force };
}

/**
 * Streams the archive into the file, checking its size and sha256 against the record as the
 * bytes pass (storage.md, Integrity). The bytes go to a temporary file beside the target, which
 * takes the target's name only once every byte matched: a mismatch leaves no partial file, and
 * a file that `--force` replaces stays intact until then. The archive holds Secrets: the file
 * is readable by its owner only.
 */
export async function downloadArchive(store: ObjectStore, record: BackupRecord, target: DownloadTarget): Promise<DownloadResult> {
  const key = backupKeys(record.metadata.name).archive;
  const artifact = recordedArtifact(record, key);
  if (!artifact) throw new BadInputError(`backup "${record.metadata.name}" has no archive (it ended ${record.status.phase}); see: kubectl backup describe ${record.metadata.name}`);
  const partial = join(dirname(target.path), `.${basename(target.path)}.partial-${randomBytes(6).toString('hex')}`);
  try {
    // flush: the file is synced before it takes the target's name; wx: never someone else's file.
    await pipeline(await openVerifiedArtifact(store, artifact), createWriteStream(partial, { flags: 'wx', mode: 0o600, flush: true }));
    if (target.force) await rename(partial, target.path);
    else {
      // link() refuses a file that appeared meanwhile, where rename() would replace it.
      await link(partial, target.path).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code === 'EEXIST') throw alreadyThere(target.path);
        // File systems without hard links: check, then rename.
        if (err.code !== 'EPERM' && err.code !== 'ENOTSUP' && err.code !== 'EOPNOTSUPP' && err.code !== 'ENOSYS') throw err;
        if (await stat(target.path).catch(() => undefined)) throw alreadyThere(target.path);
        await rename(partial, target.path);
      });
    }
  } finally {
    await unlink(partial).catch(() => undefined);
  }
  return { path: target.path, key, size: artifact.size, sha256: artifact.sha256 };
}

function alreadyThere(path: string): BadInputError {
  return new BadInputError(`${path} already exists; give --force to replace it, or another file with -o`);
}
