import { gunzipSync } from 'node:zlib';
import tar from 'tar-stream';
import type { KubeObject } from '../../src/kube/types.js';
import type { BackupRecord } from '../../src/storage/backup-record.js';
import { BackupRepository } from '../../src/storage/backup-repository.js';
import { backupKeys } from '../../src/storage/layout.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import type { ResultsFile } from '../../src/storage/results-file.js';

/** What a backup left in a store, read back for assertions. */
export interface BackupContents {
  record: BackupRecord | undefined;
  /** Entry names in archive order. */
  entries: string[];
  /** Item entries parsed, by entry name. */
  items: Map<string, KubeObject>;
  raw: Map<string, string>;
  resourceList: Record<string, string[]>;
  results: ResultsFile;
  /** The log artifact, one object a line. */
  log: Record<string, unknown>[];
}

export async function readBytes(store: ObjectStore, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function untar(gz: Buffer): Promise<{ name: string; type: string; body: string }[]> {
  const extract = tar.extract();
  const out: { name: string; type: string; body: string }[] = [];
  const done = (async () => {
    for await (const entry of extract) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      out.push({ name: entry.header.name, type: entry.header.type ?? 'file', body: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  extract.end(gunzipSync(gz));
  await done;
  return out;
}

export async function readBackup(store: ObjectStore, name: string): Promise<BackupContents> {
  const keys = backupKeys(name);
  const record = await new BackupRepository(store).get(name);
  const entries = await untar(await readBytes(store, keys.archive));
  const items = new Map<string, KubeObject>();
  const raw = new Map<string, string>();
  for (const entry of entries) {
    raw.set(entry.name, entry.body);
    if (entry.name.endsWith('.json')) items.set(entry.name, JSON.parse(entry.body) as KubeObject);
  }
  return {
    record,
    entries: entries.map((e) => e.name),
    items,
    raw,
    resourceList: JSON.parse(gunzipSync(await readBytes(store, keys.resourceList)).toString('utf8')) as Record<string, string[]>,
    results: JSON.parse(gunzipSync(await readBytes(store, keys.results)).toString('utf8')) as ResultsFile,
    log: gunzipSync(await readBytes(store, keys.logs))
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

/** Every key under the backup's directory. */
export async function keysOf(store: ObjectStore, name: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(backupKeys(name).dir)) keys.push(object.key);
  return keys;
}
