import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ItemSpool, type SpoolSlot } from '../../src/restore/item-spool.js';

describe('item spool (archive items kept in a local file, read back by position)', () => {
  let dir: string;
  beforeEach(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'item-spool-'))));
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it('reads back every item as appended, in any order, across flushes of thousands of small items', async () => {
    const spool = await ItemSpool.create(path.join(dir, 'items.json'));
    const items: { slot: SpoolSlot; body: Buffer }[] = [];
    let flushes = 0;
    // More items than one gathering write takes (IOV_MAX is 1024), some small, some large.
    for (let i = 0; i < 12_000; i++) {
      const body = Buffer.from(i % 1000 === 0 ? `{"large":"${'x'.repeat(300_000)}","i":${i}}` : `{"i":${i}}`);
      items.push({ slot: spool.append(body), body });
      if (spool.full) {
        flushes++;
        await spool.flush();
        assert.equal(spool.full, false);
      }
    }
    // ~3.6 MB went in: it was written out a megabyte at a time, never held whole.
    assert.ok(flushes >= 3, `${flushes} flushes while appending`);
    await spool.flush();
    for (const { slot, body } of items) assert.deepEqual(spool.read(slot), body);
    for (let i = items.length - 1; i >= 0; i -= 7) assert.deepEqual(spool.read(items[i]!.slot), items[i]!.body);
    const size = items.reduce((sum, item) => sum + item.body.length, 0);
    assert.equal((await fs.stat(path.join(dir, 'items.json'))).size, size);
    await spool.close();
  });
});
