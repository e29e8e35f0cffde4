import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { readArchive } from '../../src/archive/archive-reader.js';
import { ArchiveWriter, type ArchiveItem } from '../../src/archive/archive-writer.js';
import { untar } from '../builders/backup-artifacts.js';

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** A page of items of ~2 KB that do not compress: enough of them fill every stream buffer. */
function page(index: number, size = 500): ArchiveItem[] {
  return Array.from({ length: size }, (_, i) => ({ location: { resource: 'configmaps', namespace: 'shop', name: `cm-${index}-${i}` }, body: randomBytes(2000) }));
}

describe('backup: archive writer', () => {
  // A rejection nobody handles ends the process (it would end `backup create` before its clean-up).
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeEach(() => {
    unhandled.length = 0;
    process.on('unhandledRejection', onUnhandled);
  });
  afterEach(async () => {
    await new Promise((resolve) => setTimeout(resolve, 20));
    process.off('unhandledRejection', onUnhandled);
    assert.deepEqual(unhandled, [], 'no promise rejection is left unhandled');
  });

  it('writes metadata/version first, then every item in order with its exact bytes, readable by the archive reader', async () => {
    const writer = new ArchiveWriter({ mtime: new Date('2030-01-01T00:00:00Z') });
    const archive = bytesOf(writer.output);
    const first = [
      { location: { resource: 'namespaces', name: 'shop' }, body: Buffer.from('{"kind":"Namespace"}') },
      { location: { resource: 'deployments.apps', namespace: 'shop', name: 'web' }, body: Buffer.from('{"kind":"Deployment"}') },
    ];
    const second = page(1, 300);
    await writer.writeItems(first);
    await writer.writeItems(second);
    await writer.finish();
    const bytes = await archive;

    const entries = await untar(bytes);
    assert.deepEqual(
      entries.map((e) => e.name),
      ['metadata/version', 'resources/namespaces/cluster/shop.json', 'resources/deployments.apps/namespaces/shop/web.json', ...second.map((item) => `resources/configmaps/namespaces/shop/${item.location.name}.json`)],
    );
    assert.equal(entries[0]!.body, '1.1.0\n');
    const read = [];
    for await (const item of readArchive(Readable.from([bytes]), { name: 'written.tar.gz' })) read.push(item);
    assert.deepEqual(
      read.map((item) => item.body),
      [...first, ...second].map((item) => item.body),
    );
  });

  it('gives the same bytes for the same items and start time', async () => {
    const items = page(2, 50);
    const write = async () => {
      const writer = new ArchiveWriter({ mtime: new Date('2030-01-01T00:00:00Z') });
      const archive = bytesOf(writer.output);
      await writer.writeItems(items);
      await writer.finish();
      return archive;
    };
    assert.deepEqual(await write(), await write());
  });

  it('holds writes while nobody reads its output, instead of buffering the archive', async () => {
    const writer = new ArchiveWriter();
    let written = 0;
    const writing = (async () => {
      for (let i = 0; i < 100; i++) {
        await writer.writeItems(page(i));
        written += 500;
      }
    })();
    writing.catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(written < 10_000, `${written} items of 2 KB were taken in without a reader`);
    writer.abort(new Error('stopped'));
    await assert.rejects(writing, /stopped/);
  });

  it('fails the pending writes with the reason when its consumer goes away mid-page (a refused upload)', async () => {
    const writer = new ArchiveWriter();
    let seen = 0;
    writer.output.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > 64 * 1024) writer.output.destroy(new Error('upload refused'));
    });
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 100; i++) await writer.writeItems(page(i));
      })(),
      /archive output closed early/,
    );
    await assert.rejects(writer.finish(), /archive output closed early/);
  });

  it('fails the pending writes with the reason given to abort', async () => {
    const writer = new ArchiveWriter();
    const writing = writer.writeItems(page(0, 2000));
    writing.catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    writer.abort(new Error('interrupted by SIGINT'));
    await assert.rejects(writing, /interrupted by SIGINT/);
  });
});
