import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import { formatVersion, itemEntry, versionEntry } from '../../src/archive/archive-paths.js';
import type { KubeObject } from '../../src/kube/types.js';

/** One raw tar entry, for archives that must break the rules. */
export interface RawEntry {
  name: string;
  body?: string | Buffer;
  type?: 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'fifo';
  linkname?: string;
  /** Header size to claim; defaults to the body's length. */
  size?: number;
}

/** A tar.gz in memory from raw entries (test archives are small). */
export async function tarGz(entries: RawEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const done = collect(pack.pipe(zlib.createGzip()));
  for (const e of entries) {
    const body = e.body === undefined ? undefined : Buffer.from(e.body);
    await new Promise<void>((resolve, reject) => {
      const header = { name: e.name, type: e.type ?? 'file', linkname: e.linkname, size: e.size ?? body?.length ?? 0 };
      const callback = (err?: Error | null) => (err ? reject(err) : resolve());
      pack.entry(header, header.type === 'file' ? (body ?? '') : '', callback);
    });
  }
  pack.finalize();
  return done;
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** `resource[.group]` of an object, for archives built from objects. */
export interface ArchiveObject {
  resource: string;
  object: KubeObject;
}

/**
 * A backup archive in the exact format the backup engine writes (storage.md, Archive):
 * `metadata/version` first, then one compact JSON file per item.
 */
export function backupArchive(items: ArchiveObject[], options: { veleroVersionFolders?: boolean; extra?: RawEntry[] } = {}): Promise<Buffer> {
  const entries: RawEntry[] = [{ name: versionEntry, body: `${formatVersion}\n` }];
  for (const { resource, object } of items) {
    const location = { resource, namespace: object.metadata.namespace, name: object.metadata.name ?? '' };
    const body = JSON.stringify(object);
    entries.push({ name: itemEntry(location), body });
    if (options.veleroVersionFolders) {
      const version = (object.apiVersion ?? 'v1').split('/').pop()!;
      const rest = itemEntry(location).slice(`resources/${resource}/`.length);
      entries.push({ name: `resources/${resource}/${version}-preferredversion/${rest}`, body });
    }
  }
  entries.push(...(options.extra ?? []));
  return tarGz(entries);
}
