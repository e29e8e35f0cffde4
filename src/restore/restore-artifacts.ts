import type { Readable } from 'node:stream';
import { openGunzippedArtifact, openResourceList, readResultsArtifact } from '../backup-records/backup-artifacts.js';
import type { ResourceListEvent } from '../backup-records/resource-list-parser.js';
import { restoreKeys } from '../storage/layout.js';
import type { ObjectStore } from '../storage/object-store.js';
import type { RestoreRecord } from '../storage/restore-record.js';
import type { ResultsFile } from '../storage/results-file.js';

/** The restore's log, gunzipped; the stream fails if the stored bytes are not what the record says. */
export function openRestoreLog(store: ObjectStore, record: RestoreRecord): Promise<Readable | undefined> {
  return openGunzippedArtifact(store, record, restoreKeys(record.metadata.name).logs);
}

/** Warnings and errors as the restore grouped them (as a backup's), checked against the record. */
export function readRestoreResults(store: ObjectStore, record: RestoreRecord): Promise<ResultsFile | undefined> {
  return readResultsArtifact(store, record, restoreKeys(record.metadata.name).results);
}

/**
 * What became of every item, by type (`ns/name(created)`...), as it streams; the stream fails
 * if the stored bytes are not what the record says. Undefined for records of restores that
 * did not store a resource list yet.
 */
export function openRestoreResourceList(store: ObjectStore, record: RestoreRecord): Promise<AsyncGenerator<ResourceListEvent> | undefined> {
  return openResourceList(store, record, restoreKeys(record.metadata.name).resourceList);
}
