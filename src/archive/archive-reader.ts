import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { parseItemEntry, versionEntry, type ParsedItemEntry } from './archive-paths.js';
import { InvalidArchiveError } from './archive-errors.js';
import { entryProblem, quotedEntry } from './entry-safety.js';
import { itemLocationProblem } from './item-names.js';
import { UnpackedBytesLimit, type UnpackedLimit } from './unpacked-bytes-limit.js';

/** Kubernetes objects are at most ~1.5 MiB in etcd; anything far above that is not an item. */
export const defaultMaxItemBytes = 16 * 1024 * 1024;
const maxVersionBytes = 64;
const gunzipChunkBytes = 256 * 1024;

export interface ArchiveReaderOptions {
  /** How the archive is named in errors (its storage key or file). */
  name: string;
  maxItemBytes?: number;
  /** Bounds on what the whole archive unpacks to (unpacked-bytes-limit.ts); for tests. */
  unpackedLimit?: UnpackedLimit;
}

/** One item entry of an archive: where it was and its raw JSON bytes. */
export interface ArchiveItem {
  entry: string;
  location: ParsedItemEntry;
  body: Buffer;
}

/**
 * Reads a gzip tar backup archive as a stream, one item at a time: only the current entry is
 * ever in memory. Unsafe entries (absolute paths, `..`, links, devices), items over the size
 * limit, items whose names no cluster gives (item-names.ts), an archive that unpacks to far
 * more than it holds (a decompression bomb), a missing or unknown `metadata/version` and a
 * corrupted or truncated stream are refused with an InvalidArchiveError. Item entries are
 * yielded as found, version-folder copies included (`location.versionFolder`): choosing
 * between copies is the caller's job, since only the whole archive says which copies exist.
 */
export async function* readArchive(source: Readable, options: ArchiveReaderOptions): AsyncGenerator<ArchiveItem> {
  const maxItemBytes = options.maxItemBytes ?? defaultMaxItemBytes;
  const invalid = (problem: string, cause?: unknown) => new InvalidArchiveError(options.name, problem, cause === undefined ? undefined : { cause });
  const extract = tar.extract();
  // Output chunks of 256 KiB rather than zlib's 16 KiB: each chunk is a thread-pool round trip
  // and a pass through the tar parser; with the default, reading a 10k-item archive took a
  // third longer (`npm run bench -- restore`).
  const gunzip = zlib.createGunzip({ chunkSize: gunzipChunkBytes });
  // The source's own failure (a checksum mismatch, a broken download) is what went wrong, not
  // the gzip or tar error that the bytes it stopped at cause downstream. pipeline() destroys
  // the source with a downstream error too, so those are told apart by which came first (these
  // listeners are added before pipeline's own).
  let downstreamFailed = false;
  let sourceError: unknown;
  gunzip.once('error', () => (downstreamFailed = true));
  extract.once('error', () => (downstreamFailed = true));
  const unpacked = new UnpackedBytesLimit(gunzip, options.unpackedLimit, (problem) => invalid(problem));
  unpacked.once('error', () => (downstreamFailed = true));
  source.once('error', (err) => {
    if (!downstreamFailed) sourceError ??= err;
  });
  const piping = pipeline(source, gunzip, unpacked, extract);
  // Errors surface through the iterator below and the await after it; this only keeps the
  // promise from going unhandled when the loop stops first.
  piping.catch(() => undefined);
  let sawVersion = false;
  try {
    for await (const entry of extract) {
      const header = entry.header;
      const problem = entryProblem(header);
      if (problem) throw invalid(problem);
      if (header.type === 'directory') {
        entry.resume();
        continue;
      }
      const name = header.name.replace(/^\.\//, '');
      if (name === versionEntry) {
        const text = (await readBody(entry, maxVersionBytes, () => invalid(`${versionEntry} is larger than ${maxVersionBytes} bytes`))).toString('utf8').trim();
        if (!/^1\.\d+\.\d+$/.test(text)) throw invalid(`unsupported format version ${JSON.stringify(text.slice(0, 20))} (this tool reads 1.x)`);
        sawVersion = true;
        continue;
      }
      const location = parseItemEntry(name);
      if (!location) {
        // Other files (Velero's metadata, README-like extras) are not items; their bodies are skipped unread.
        entry.resume();
        continue;
      }
      const nameProblem = itemLocationProblem(location);
      if (nameProblem) throw invalid(`entry ${quotedEntry(name)} is no item a cluster can hold: ${nameProblem}`);
      if ((header.size ?? 0) > maxItemBytes) throw invalid(`entry ${quotedEntry(name)} is ${header.size} bytes, more than the ${maxItemBytes}-byte limit per item`);
      const body = await readBody(entry, maxItemBytes, () => invalid(`entry ${quotedEntry(name)} is more than the ${maxItemBytes}-byte limit per item`));
      yield { entry: name, location, body };
    }
    // The last entry is not the end of the source: a verifying source fails only at its end.
    await piping;
  } catch (err) {
    if (sourceError !== undefined) throw sourceError;
    if (err instanceof InvalidArchiveError) throw err;
    throw invalid(`it is corrupted or truncated (${err instanceof Error ? err.message : String(err)})`, err);
  } finally {
    extract.destroy();
  }
  if (!sawVersion) throw invalid(`it has no ${versionEntry} entry`);
}

/** What readBody uses of a tar-stream entry (a streamx stream, whose types are not ours to import). */
interface EntryStream {
  on(event: 'data', listener: (chunk: Buffer) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  destroy(err?: Error): void;
}

/**
 * An entry's bytes, up to `limit`. Events rather than `for await`: an async iterator per entry
 * costs more than the small bodies of most items.
 */
function readBody(source: object, limit: number, tooLarge: () => Error): Promise<Buffer> {
  const entry = source as EntryStream;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    entry.on('data', (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        const err = tooLarge();
        reject(err);
        entry.destroy(err);
        return;
      }
      chunks.push(chunk);
    });
    entry.on('end', () => {
      if (!failed) resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    entry.on('error', (err) => {
      failed = true;
      reject(err);
    });
  });
}
