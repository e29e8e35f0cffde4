import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { readArchive } from '../archive/archive-reader.js';
import { indexArchive, type ArchiveIndex } from './archive-index.js';
import { ItemSpool } from './item-spool.js';
import type { LabelSelector } from './label-selector.js';

/**
 * Bytes the downloaded archive is read in: each read is a thread-pool round trip that gunzip
 * and the tar parser wait for; with 64 KiB reads (the default), indexing a 10k-item archive
 * took ~15% longer.
 */
const archiveReadBytes = 1024 * 1024;

export interface SpooledArchive {
  index: ArchiveIndex;
  spool: ItemSpool;
}

/**
 * Downloads the archive once into `dir`, through the caller's verifying stream, and only then
 * parses it: no gzip or tar parser ever sees bytes whose size and sha256 were not checked
 * against the record, and an archive that fails the check, or holds a hostile entry, is
 * refused before anything is created. The parse writes each item to the item spool and keeps
 * a small index; the downloaded archive is removed once indexed.
 */
export async function spoolArchive(open: () => Promise<Readable>, dir: string, archiveName: string, selector: LabelSelector | undefined, maxItemBytes?: number): Promise<SpooledArchive> {
  const archiveFile = path.join(dir, 'archive.tar.gz');
  await pipeline(await open(), fs.createWriteStream(archiveFile, { mode: 0o600 }));
  const spool = await ItemSpool.create(path.join(dir, 'items.json'));
  try {
    const items = readArchive(fs.createReadStream(archiveFile, { highWaterMark: archiveReadBytes }), { name: archiveName, ...(maxItemBytes !== undefined ? { maxItemBytes } : {}) });
    const index = await indexArchive(items, spool, archiveName, selector);
    return { index, spool };
  } catch (err) {
    await spool.close();
    throw err;
  } finally {
    await fs.promises.rm(archiveFile, { force: true });
  }
}
