import path from 'node:path';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidArchiveError } from '../archive/archive-errors.js';
import { readArchive } from '../archive/archive-reader.js';
import { BadInputError } from '../errors.js';
import { indexArchive, type ArchiveIndex, type IndexOptions } from './archive-index.js';
import { ItemSpool } from './item-spool.js';

export interface SpooledArchive {
  index: ArchiveIndex;
  spool: ItemSpool;
}

/**
 * Reads the archive once, as it downloads, through the caller's verifying stream: each item
 * goes to the item spool in `dir` and a small index is kept. Nothing is created from it until
 * this returns, and it returns only once the stream has ended without error, that is once the
 * whole archive matched its record's size and sha256. Parsing the bytes before their checksum
 * is known is safe because the parser treats every archive as hostile anyway (the checksum
 * guards against damage, not attack: whoever can write the archive can write its record).
 *
 * A damaged archive usually breaks gzip or tar before its end, where the checksum would tell:
 * when the archive is refused, it is read again to its end, so that a mismatch is reported as
 * the mismatch it is.
 */
export async function spoolArchive(open: () => Promise<Readable>, dir: string, archiveName: string, options: IndexOptions & { maxItemBytes?: number | undefined } = {}): Promise<SpooledArchive> {
  const spool = await ItemSpool.create(path.join(dir, 'items.json'));
  try {
    const { maxItemBytes, ...indexOptions } = options;
    const items = readArchive(await open(), { name: archiveName, ...(maxItemBytes !== undefined ? { maxItemBytes } : {}) });
    const index = await indexArchive(items, spool, archiveName, indexOptions);
    return { index, spool };
  } catch (err) {
    await spool.close();
    if (err instanceof InvalidArchiveError) {
      // Only a verdict on the bytes replaces the refusal; a second read that cannot be made
      // (the store gone away) says nothing about them.
      const recheck = await readToEnd(open).then(
        () => undefined,
        (failure: unknown) => failure,
      );
      if (recheck instanceof BadInputError) throw recheck;
    }
    throw err;
  }
}

/** Reads a verifying stream to its end, which fails if its bytes are not the recorded ones. */
async function readToEnd(open: () => Promise<Readable>): Promise<void> {
  await pipeline(await open(), new Writable({ write: (_chunk, _encoding, callback) => callback() }));
}
