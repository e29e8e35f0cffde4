import { pipeline, Transform, type Readable, type TransformCallback } from 'node:stream';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import { BadInputError } from '../errors.js';
import { openVerifiedArtifact } from '../storage/artifact-integrity.js';
import type { BackupRecord } from '../storage/backup-record.js';
import { backupKeys } from '../storage/layout.js';
import type { ObjectStore, StoredObject } from '../storage/object-store.js';
import { parseResourceList, type ResourceListEvent } from './resource-list-parser.js';
import { readAtMost } from '../storage/read-at-most.js';
import type { ResultsFile } from '../storage/results-file.js';
import { parseResults } from './results-parser.js';

/** The results are small; a results artifact bigger than this once unpacked is refused. */
const maxResultsBytes = 64 * 1024 * 1024;

/** A backup's or a restore's record: what is read here needs only its artifacts. */
type RecordWithArtifacts = { readonly status: { readonly artifacts: readonly StoredObject[] } };

/** The artifact the record lists under `key`, if it lists one. */
export function recordedArtifact(record: RecordWithArtifacts, key: string): StoredObject | undefined {
  return record.status.artifacts.find((artifact) => artifact.key === key);
}

/**
 * An artifact gunzipped as it streams; the stream fails with an ArtifactIntegrityError when the
 * stored bytes are not those the record lists (or a zlib error when they do not unpack).
 * Undefined when the record lists no such artifact.
 */
export async function openGunzippedArtifact(store: ObjectStore, record: RecordWithArtifacts, key: string): Promise<Readable | undefined> {
  const artifact = recordedArtifact(record, key);
  if (!artifact) return undefined;
  const verified = await openVerifiedArtifact(store, artifact);
  // Gunzip ends as soon as the gzip stream does, which can be before the verifier has seen
  // the last stored byte and checked size and sha256 (trailing bytes are ignored by zlib):
  // the output ends only once the check passed, or fails with its error.
  const checked = finished(verified);
  checked.catch(() => undefined);
  const tail = new Transform({
    transform: (chunk: Buffer, _encoding, callback: TransformCallback) => callback(null, chunk),
    flush: (callback: TransformCallback) => {
      checked.then(() => callback(), (err: Error) => callback(err));
    },
  });
  // pipeline destroys every stream with the first error, so the reader of the last one sees it.
  return pipeline(verified, zlib.createGunzip(), tail, () => undefined);
}

/** The backup's log, one JSON object a line. */
export function openBackupLog(store: ObjectStore, record: BackupRecord): Promise<Readable | undefined> {
  return openGunzippedArtifact(store, record, backupKeys(record.metadata.name).logs);
}

/** Every type and item the backup holds, in the order they were written. */
export async function* readResourceList(store: ObjectStore, record: BackupRecord): AsyncGenerator<ResourceListEvent> {
  const events = await openResourceList(store, record, backupKeys(record.metadata.name).resourceList);
  if (!events) throw new BadInputError(`backup "${record.metadata.name}" has no resource list in its record`);
  yield* events;
}

/**
 * A resource list artifact (a backup's or a restore's) as it streams, checked against the
 * record; undefined when the record lists none.
 */
export async function openResourceList(store: ObjectStore, record: RecordWithArtifacts, key: string): Promise<AsyncGenerator<ResourceListEvent> | undefined> {
  const stream = await openGunzippedArtifact(store, record, key);
  if (!stream) return undefined;
  return (async function* () {
    try {
      yield* parseResourceList(stream as AsyncIterable<Buffer>, key);
    } finally {
      stream.destroy();
    }
  })();
}

/** Warnings and errors of the backup, checked against the record; undefined when it has none. */
export function readBackupResults(store: ObjectStore, record: BackupRecord): Promise<ResultsFile | undefined> {
  return readResultsArtifact(store, record, backupKeys(record.metadata.name).results);
}

/** A results artifact (a backup's or a restore's), checked against the record and parsed. */
export async function readResultsArtifact(store: ObjectStore, record: RecordWithArtifacts, key: string): Promise<ResultsFile | undefined> {
  const stream = await openGunzippedArtifact(store, record, key);
  if (!stream) return undefined;
  const bytes = await readAtMost(stream, maxResultsBytes);
  if (bytes === undefined) throw new BadInputError(`artifact "${key}" is larger than ${maxResultsBytes} bytes once unpacked`);
  return parseResults(bytes, key);
}
