import { Readable } from 'node:stream';
import type { ObjectStore, Retention, StoredObject } from './object-store.js';
import { readAtMost } from './read-at-most.js';
import { InvalidRecordError, ObjectNotFoundError, StorageError } from './storage-errors.js';

/** Records are small; a bigger object under a record's key is not one of ours. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

/** The parsed JSON under `key`, or undefined when there is no such object. */
export async function readRecordJson(store: ObjectStore, key: string): Promise<unknown> {
  let body: Readable;
  try {
    body = await store.get(key);
  } catch (err) {
    if (err instanceof ObjectNotFoundError) return undefined;
    throw err;
  }
  const bytes = await readAtMost(body, MAX_RECORD_BYTES);
  if (!bytes) throw new InvalidRecordError(key, undefined, `it is larger than ${MAX_RECORD_BYTES} bytes`);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch (err) {
    throw new InvalidRecordError(key, undefined, `it is not valid JSON (${(err as Error).message})`);
  }
}

export async function writeRecordJson(store: ObjectStore, key: string, record: object, retention?: Retention): Promise<StoredObject> {
  const body = Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
  return store.put(key, Readable.from([body]), { contentType: 'application/json', ...(retention ? { retention } : {}) });
}

/**
 * A record must not commit artifacts that are not (all) there. Asked about together: on S3 each
 * is a round trip, which the end of every backup and restore would otherwise wait for in turn.
 */
export async function assertArtifactsStored(store: ObjectStore, recordKey: string, artifacts: readonly StoredObject[]): Promise<void> {
  const found = await Promise.all(artifacts.map((artifact) => store.head(artifact.key)));
  for (const [i, artifact] of artifacts.entries()) {
    const info = found[i];
    const problem = !info ? 'is not there' : info.size !== artifact.size ? `has ${info.size} bytes, not ${artifact.size}` : undefined;
    if (problem) throw new StorageError(`cannot write record "${recordKey}" in ${store.describe()}: its artifact "${artifact.key}" ${problem}`);
  }
}
