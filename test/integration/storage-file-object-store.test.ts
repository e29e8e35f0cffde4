import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { ExitCode } from '../../src/errors.js';
import { FileObjectStore, PARTIAL_DIR } from '../../src/storage/file-object-store.js';
import { ObjectNotFoundError, StorageError } from '../../src/storage/storage-errors.js';
import { bodyOf, keysOf } from './storage-store-fixtures.js';

describe('FileObjectStore on disk', () => {
  let dir: string;
  let store: FileObjectStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubectl-backup-files-'));
    store = new FileObjectStore(join(dir, 'loc'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('never shows a half-written object under its key', async () => {
    const body = new PassThrough();
    const put = store.put('backups/b/b.tar.gz', body);
    body.write(Buffer.alloc(100_000, 1));
    while ((await readdir(join(dir, 'loc', PARTIAL_DIR)).catch(() => [])).length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(await store.head('backups/b/b.tar.gz'), undefined);
    assert.deepEqual(await keysOf(store), []);
    body.end(Buffer.alloc(100, 2));
    assert.equal((await put).size, 100_100);
    assert.deepEqual(await keysOf(store), ['backups/b/b.tar.gz']);
    assert.deepEqual(await readdir(join(dir, 'loc', PARTIAL_DIR)), [], 'the partial file is gone');
  });

  it('removes what killed writes left, once old enough', async () => {
    const partials = join(dir, 'loc', PARTIAL_DIR);
    await mkdir(partials, { recursive: true });
    await writeFile(join(partials, 'old'), 'x');
    await writeFile(join(partials, 'recent'), 'y');
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    await utimes(join(partials, 'old'), twoDaysAgo, twoDaysAgo);
    assert.equal(await store.removeAbandonedWrites(new Date(Date.now() - 86_400_000), { dryRun: true }), 1);
    assert.deepEqual((await readdir(partials)).sort(), ['old', 'recent'], 'a dry run removes nothing');
    assert.equal(await store.removeAbandonedWrites(new Date(Date.now() - 86_400_000)), 1);
    assert.deepEqual(await readdir(partials), ['recent']);
  });

  it('keeps its work area out of the key space', async () => {
    await assert.rejects(store.put(`${PARTIAL_DIR}/x`, bodyOf('x')), (err: Error & { exitCode?: number }) => err.exitCode === ExitCode.BadInput);
  });

  it('removes directories a delete leaves empty, and no others', async () => {
    await store.put('backups/a/1', bodyOf('1'));
    await store.put('backups/b/2', bodyOf('2'));
    await store.delete('backups/a/1');
    assert.deepEqual(await readdir(join(dir, 'loc', 'backups')), ['b']);
    await store.delete('backups/b/2');
    await assert.rejects(stat(join(dir, 'loc', 'backups')), { code: 'ENOENT' });
    assert.ok((await stat(join(dir, 'loc'))).isDirectory());
  });

  it('does not follow symbolic links out of the location', async () => {
    await writeFile(join(dir, 'outside'), 'secret');
    await store.put('backups/b/real', bodyOf('real'));
    await symlink(join(dir, 'outside'), join(dir, 'loc', 'backups', 'b', 'link'));
    assert.deepEqual(await keysOf(store), ['backups/b/real']);
    await assert.rejects(store.get('backups/b/link'), ObjectNotFoundError);
  });

  it('never reads, writes or deletes through a directory that is a symbolic link', async () => {
    // A link put in a shared location must not make a backup's cleanup delete files elsewhere.
    const victim = join(dir, 'victim');
    await mkdir(victim);
    await writeFile(join(victim, 'precious.txt'), 'keep');
    await store.put('backups/real/a', bodyOf('a'));
    await symlink(victim, join(dir, 'loc', 'backups', 'nightly'));
    assert.deepEqual(await keysOf(store, 'backups/nightly/'), []);
    assert.deepEqual(await keysOf(store), ['backups/real/a']);
    assert.equal(await store.head('backups/nightly/precious.txt'), undefined);
    await assert.rejects(store.get('backups/nightly/precious.txt'), ObjectNotFoundError);
    await store.delete('backups/nightly/precious.txt');
    await assert.rejects(store.put('backups/nightly/new', bodyOf('new')), (err: Error) => err instanceof StorageError && /symbolic link/.test(err.message));
    assert.deepEqual(await readdir(victim), ['precious.txt']);
  });

  it('leaves alone a .partial that is a symbolic link: gc removes nothing through it, and writes refuse it', async () => {
    const victim = join(dir, 'victim');
    await mkdir(victim);
    await writeFile(join(victim, 'old.txt'), 'keep');
    const longAgo = new Date(Date.now() - 7 * 24 * 3600_000);
    await utimes(join(victim, 'old.txt'), longAgo, longAgo);
    await mkdir(join(dir, 'loc'));
    await symlink(victim, join(dir, 'loc', PARTIAL_DIR));
    assert.equal(await store.removeAbandonedWrites(new Date()), 0);
    await assert.rejects(store.put('backups/b/x', bodyOf('x')), StorageError);
    assert.deepEqual(await readdir(victim), ['old.txt']);
  });

  it('lists nothing and reads nothing from a directory that does not exist yet', async () => {
    assert.deepEqual(await keysOf(store), []);
    assert.equal(await store.head('k'), undefined);
    await assert.rejects(store.get('k'), ObjectNotFoundError);
  });

  it('wants an absolute directory', () => {
    assert.throws(() => new FileObjectStore('relative/dir'), /must be an absolute path/);
  });
});
