import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { BadInputError } from '../errors.js';
import { openVerifiedArtifact } from '../storage/artifact-integrity.js';
import { restoreKeys } from '../storage/layout.js';
import type { ObjectStore, StoredObject } from '../storage/object-store.js';
import type { RestoreRecord } from '../storage/restore-record.js';
import type { ResultGroup } from '../backup/backup-results.js';

const maxResultsBytes = 64 * 1024 * 1024;

export interface RestoreResultsFile {
  warnings: ResultGroup;
  errors: ResultGroup;
}

function artifact(record: RestoreRecord, key: string): StoredObject | undefined {
  return record.status.artifacts.find((a) => a.key === key);
}

/** The restore's log, gunzipped; the stream fails if the stored bytes are not what the record says. */
export async function openRestoreLog(store: ObjectStore, record: RestoreRecord): Promise<Readable | undefined> {
  const log = artifact(record, restoreKeys(record.metadata.name).logs);
  if (!log) return undefined;
  const verified = await openVerifiedArtifact(store, log);
  const gunzip = zlib.createGunzip();
  verified.on('error', (err) => gunzip.destroy(err));
  return verified.pipe(gunzip);
}

/** Warnings and errors as the restore grouped them, checked against the record. */
export async function readRestoreResults(store: ObjectStore, record: RestoreRecord): Promise<RestoreResultsFile | undefined> {
  const key = restoreKeys(record.metadata.name).results;
  const results = artifact(record, key);
  if (!results) return undefined;
  const verified = await openVerifiedArtifact(store, results);
  const chunks: Buffer[] = [];
  let size = 0;
  const gunzip = zlib.createGunzip();
  verified.on('error', (err) => gunzip.destroy(err));
  for await (const chunk of verified.pipe(gunzip) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxResultsBytes) throw new BadInputError(`artifact "${key}" is larger than ${maxResultsBytes} bytes once unpacked`);
    chunks.push(chunk);
  }
  const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Partial<RestoreResultsFile>;
  const empty = (): ResultGroup => ({ cluster: [], namespaces: {} });
  return { warnings: parsed.warnings ?? empty(), errors: parsed.errors ?? empty() };
}
