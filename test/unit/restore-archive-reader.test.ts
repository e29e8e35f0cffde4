import assert from 'node:assert/strict';
import { entryProblem } from '../../src/archive/entry-safety.js';
import { Readable } from 'node:stream';
import { InvalidArchiveError } from '../../src/archive/archive-errors.js';
import { readArchive, type ArchiveItem } from '../../src/archive/archive-reader.js';
import type { UnpackedLimit } from '../../src/archive/unpacked-bytes-limit.js';
import { ExitCode } from '../../src/errors.js';
import { backupArchive, tarGz, type RawEntry } from '../builders/restore-archive.js';

async function readAll(archive: Buffer, maxItemBytes?: number, unpackedLimit?: UnpackedLimit): Promise<ArchiveItem[]> {
  const items: ArchiveItem[] = [];
  for await (const item of readArchive(Readable.from([archive]), { name: 'test.tar.gz', maxItemBytes, unpackedLimit })) items.push(item);
  return items;
}

const version: RawEntry = { name: 'metadata/version', body: '1.1.0\n' };
const cm = (name: string) => ({ resource: 'configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns1' }, data: { a: 'b' } } });

async function assertRejected(archive: Buffer, pattern: RegExp, maxItemBytes?: number, unpackedLimit?: UnpackedLimit): Promise<void> {
  await assert.rejects(readAll(archive, maxItemBytes, unpackedLimit), (err: unknown) => {
    assert.ok(err instanceof InvalidArchiveError, `expected InvalidArchiveError, got ${String(err)}`);
    assert.equal(err.exitCode, ExitCode.BadInput);
    assert.match(err.message, /^archive test\.tar\.gz is not a valid backup archive: /);
    assert.match(err.message, pattern);
    return true;
  });
}

describe('restore: archive reader', () => {
  it('yields each item with its location and raw JSON', async () => {
    const items = await readAll(
      await backupArchive([cm('a'), { resource: 'namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } } }]),
    );
    assert.deepEqual(
      items.map((i) => [i.entry, i.location.resource, i.location.namespace, i.location.name]),
      [
        ['resources/configmaps/namespaces/ns1/a.json', 'configmaps', 'ns1', 'a'],
        ['resources/namespaces/cluster/ns1.json', 'namespaces', undefined, 'ns1'],
      ],
    );
    assert.deepEqual(JSON.parse(items[0]!.body.toString('utf8')).data, { a: 'b' });
  });

  it("reports Velero's version-folder copies with their folder, so the caller keeps one", async () => {
    const items = await readAll(await backupArchive([cm('a')], { veleroVersionFolders: true }));
    assert.deepEqual(
      items.map((i) => [i.location.name, i.location.versionFolder]),
      [
        ['a', undefined],
        ['a', 'v1-preferredversion'],
      ],
    );
  });

  it('skips directory entries and files that are not items', async () => {
    const items = await readAll(
      await tarGz([version, { name: 'resources/', type: 'directory' }, { name: 'metadata/other.txt', body: 'x' }, { name: './resources/configmaps/namespaces/ns1/a.json', body: '{}' }]),
    );
    assert.deepEqual(items.map((i) => i.location.name), ['a']);
  });

  it('rejects an entry with ".."', async () => {
    await assertRejected(await tarGz([version, { name: 'resources/configmaps/namespaces/../../../etc/passwd.json', body: '{}' }]), /contains "\.\."/);
  });

  it('reads a backslash as part of a name, not as a separator: a Role may be named x\\..\\y', async () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'x\\..\\y', namespace: 'tenant' } };
    const items = await readAll(await backupArchive([{ resource: 'roles.rbac.authorization.k8s.io', object: role }]));
    assert.deepEqual(
      items.map((i) => [i.entry, i.location.name]),
      [['resources/roles.rbac.authorization.k8s.io/namespaces/tenant/x\\..\\y.json', 'x\\..\\y']],
    );
  });

  it('still rejects a leading backslash or drive letter as an absolute path', async () => {
    await assertRejected(await tarGz([version, { name: '\\resources\\configmaps\\cluster\\a.json', body: '{}' }]), /absolute path/);
    await assertRejected(await tarGz([version, { name: 'C:/resources/configmaps/cluster/a.json', body: '{}' }]), /absolute path/);
  });

  it('rejects an entry name longer than PATH_MAX, quoting only its start', async () => {
    await assertRejected(await tarGz([version, { name: `resources/configmaps/namespaces/ns1/${'a'.repeat(5000)}.json`, body: '{}' }]), /has a name of 5041 characters, more than 4096$/);
  });

  it('rejects items whose names no cluster gives, before reading their bodies', async () => {
    const cases: [string, RegExp][] = [
      [`resources/configmaps/namespaces/ns1/${'a'.repeat(254)}.json`, /its name is 254 characters long \(1 to 253 are allowed\)/],
      ['resources/configmaps/namespaces/ns1/100%.json', /its name "100%" is not a valid path segment/],
      ['resources/configmaps/namespaces/NS1/a.json', /its namespace "NS1" is not a DNS-1123 label/],
      [`resources/configmaps/namespaces/${'n'.repeat(64)}/a.json`, /is not a DNS-1123 label/],
      ['resources/Config Maps/namespaces/ns1/a.json', /its resource "Config Maps" is not a resource\[\.group\] name/],
      ['resources/configmaps/cluster/...json', /its name "\.\." is not a valid path segment/],
    ];
    for (const [name, pattern] of cases) await assertRejected(await tarGz([version, { name, body: '{}' }]), pattern);
  });

  it('accepts the longest names a cluster gives', async () => {
    const name = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
    const namespace = 'n'.repeat(63);
    const items = await readAll(await tarGz([version, { name: `resources/widgets.${'g'.repeat(63)}.example.com/namespaces/${namespace}/${name}.json`, body: '{}' }]));
    assert.equal(items[0]?.location.name.length, 253);
  });

  it('rejects an archive that unpacks to far more than it holds, as it unpacks', async () => {
    // 8 items of 1 MiB of zeros: gzip packs each into ~1 KiB.
    const entries: RawEntry[] = [version];
    for (let i = 0; i < 8; i++) entries.push({ name: `resources/configmaps/namespaces/ns1/z${i}.json`, body: Buffer.alloc(1 << 20) });
    const archive = await tarGz(entries);
    await assertRejected(archive, /its first \d+ bytes unpack to \d+ or more, over 100 times as many and over 2097152 bytes: a decompression bomb$/, undefined, { floorBytes: 2 << 20, ratio: 100 });
    // The same archive under a floor above its size is read (the bodies are not JSON: the reader does not parse).
    assert.equal((await readAll(archive, undefined, { floorBytes: 16 << 20, ratio: 100 })).length, 8);
  });

  it('rejects an absolute path', async () => {
    await assertRejected(await tarGz([version, { name: '/resources/configmaps/cluster/a.json', body: '{}' }]), /absolute path/);
  });

  it('rejects a symlink', async () => {
    await assertRejected(await tarGz([version, { name: 'resources/configmaps/namespaces/ns1/a.json', type: 'symlink', linkname: '/etc/passwd' }]), /is a symlink, not a regular file/);
  });

  it('rejects a hard link', async () => {
    await assertRejected(await tarGz([version, { name: 'resources/configmaps/namespaces/ns1/a.json', type: 'link', linkname: 'metadata/version' }]), /is a link, not a regular file/);
  });

  it('rejects a device', async () => {
    await assertRejected(await tarGz([version, { name: 'resources/configmaps/namespaces/ns1/a.json', type: 'character-device' }]), /is a character-device, not a regular file/);
  });

  it('rejects an entry of a type tar-stream does not know (GNU sparse, volume label: no type), as not a regular file', () => {
    assert.match(entryProblem({ name: 'resources/configmaps/namespaces/ns1/a.json', type: null })!, /is of a type this reader does not know, not a regular file/);
    assert.equal(entryProblem({ name: 'resources/configmaps/namespaces/ns1/a.json', type: 'file' }), undefined);
  });

  it('rejects an item over the size limit, from its header, before reading it', async () => {
    await assertRejected(await tarGz([version, { name: 'resources/configmaps/namespaces/ns1/big.json', body: 'x'.repeat(2048) }]), /big\.json" is 2048 bytes, more than the 1024-byte limit/, 1024);
  });

  it('rejects a truncated gzip stream', async () => {
    const archive = await backupArchive([cm('a'), cm('b'), cm('c')]);
    await assertRejected(archive.subarray(0, archive.length - 20), /corrupted or truncated/);
  });

  it('rejects bytes that are not gzip at all', async () => {
    await assertRejected(Buffer.from('this is not an archive'), /corrupted or truncated/);
  });

  it('rejects an archive without metadata/version, or with an unknown major version', async () => {
    await assertRejected(await tarGz([{ name: 'resources/configmaps/namespaces/ns1/a.json', body: '{}' }]), /no metadata\/version entry/);
    await assertRejected(await tarGz([{ name: 'metadata/version', body: '2.0.0' }]), /unsupported format version "2\.0\.0"/);
  });

  it("passes the source's own failure on as it is, even when it stops mid-entry and after every item was read", async () => {
    const archive = await backupArchive([cm('a'), cm('b')]);
    const failure = new Error('the source failed');
    for (const cut of [Math.floor(archive.length / 2), archive.length]) {
      // A verifying source fails after its last byte when the checksum differs: the items before
      // are read, and the failure must still end the read.
      const source = Readable.from(
        (async function* () {
          yield archive.subarray(0, cut);
          throw failure;
        })(),
      );
      const read = (async () => {
        for await (const item of readArchive(source, { name: 'test.tar.gz' })) void item;
      })();
      await assert.rejects(read, (err: unknown) => err === failure);
    }
  });
});
