import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import { SlabWriter } from '../../src/archive/slab-writer.js';

/** Writes `chunks` through a SlabWriter into gzip, drained by a reader that may be slow; the gunzipped result and the slabs gzip was given. */
async function throughSlabs(chunks: Buffer[], slabSize: number, readerDelayMs: number): Promise<{ out: Buffer; slabs: ArrayBufferLike[] }> {
  const gzip = zlib.createGzip({ level: 1, chunkSize: 1024 });
  const given: ArrayBufferLike[] = [];
  const write = gzip.write.bind(gzip) as (chunk: Buffer, callback: (err?: Error | null) => void) => boolean;
  (gzip as unknown as { write: typeof write }).write = (chunk, callback) => {
    given.push(chunk.buffer);
    return write(chunk, callback);
  };
  const compressed: Buffer[] = [];
  const done = new Promise<void>((resolve, reject) => {
    gzip.pipe(
      new Writable({
        highWaterMark: 1,
        write(chunk: Buffer, _encoding, callback) {
          compressed.push(chunk);
          setTimeout(callback, readerDelayMs);
        },
        final(callback) {
          callback();
          resolve();
        },
      }),
    );
    gzip.on('error', reject);
  });
  const slabs = new SlabWriter(gzip, slabSize);
  for (const chunk of chunks) {
    // Changing the chunk after the write must not matter: it was copied.
    if (!slabs.write(chunk)) await new Promise((resolve) => gzip.once('drain', resolve));
    chunk.fill(0);
    await sleep(0);
  }
  slabs.end();
  await done;
  return { out: zlib.gunzipSync(Buffer.concat(compressed)), slabs: given };
}

describe('slab writer (small chunks into gzip as large ones, slabs reused)', () => {
  it('passes every byte on in order, whatever the sizes, while slabs are reused under a slow reader', async () => {
    let seed = 7;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) >>> 0) % n;
    const chunks = Array.from({ length: 3000 }, (_, i) => Buffer.from(Array.from({ length: 1 + random(i % 50 === 0 ? 9000 : 700) }, () => random(256))));
    const expected = createHash('sha256').update(Buffer.concat(chunks)).digest('hex');
    const length = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    const { out, slabs } = await throughSlabs(chunks, 4096, 1);
    assert.equal(out.length, length);
    assert.equal(createHash('sha256').update(out).digest('hex'), expected);
    // Hundreds of slabs went to gzip, made of a few buffers used again and again.
    assert.ok(slabs.length > 100, `${slabs.length} slabs`);
    assert.ok(new Set(slabs).size < slabs.length / 10, `${new Set(slabs).size} buffers for ${slabs.length} slabs`);
  });

  it('ends with the last part-filled slab, and an empty input gives an empty stream', async () => {
    assert.deepEqual((await throughSlabs([Buffer.from('abc')], 4096, 0)).out, Buffer.from('abc'));
    assert.deepEqual((await throughSlabs([], 4096, 0)).out, Buffer.alloc(0));
  });
});
