import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as loader from '../../scripts/stubs/load-chunk.cjs';

// The executable compiles the libraries that few runs need from chunks of their own, with a code
// cache made at build (scripts/build.ts, chunks).

/**
 * The code cache of a chunk, made as the build makes it, in a process of its own: V8 keeps what
 * this process compiled, and would use that whatever cache came.
 */
function cacheOf(name: string, source: string): Buffer {
  const make = `process.stdout.write(new (require('node:vm').Script)(process.argv[1], { filename: process.argv[2] }).createCachedData())`;
  return execFileSync(process.execPath, ['-e', make, loader.wrapChunk(source), loader.chunkFilename(name)]);
}

describe('build: chunks compiled on first use', () => {
  const source = 'const path = require("node:path"); module.exports = { lib: { join: (...p) => path.join(...p), other: require("other-lib").name, file: __filename } };';
  const requireFrom = (id: string) => (id === 'other-lib' ? { name: 'from another chunk' } : (createRequire(import.meta.url)(id) as unknown));

  it('runs the chunk as a module, its require() answered by the loader: built-in modules and other chunks', () => {
    const { exports } = loader.compileChunk('demo', source, undefined, requireFrom);
    const lib = (exports as { lib: { join(...p: string[]): string; other: string; file: string } }).lib;
    assert.equal(lib.join('a', 'b'), 'a/b');
    assert.equal(lib.other, 'from another chunk');
    assert.equal(lib.file, 'kubectl-backup/chunks/demo.cjs');
  });

  it('takes the code cache the build made for the same source, and still runs with a cache that does not fit', () => {
    const cached = `${source}\n// cached`;
    assert.equal(loader.compileChunk('demo', cached, cacheOf('demo', cached), requireFrom).cacheRejected, false);
    const rebuilt = `${source}\n// rebuilt`;
    const stale = loader.compileChunk('demo', rebuilt, cacheOf('demo', `${source}\n// built before`), requireFrom);
    assert.equal(stale.cacheRejected, true);
    assert.equal((stale.exports as { lib: { other: string } }).lib.other, 'from another chunk');
  });

  it('reports where a chunk fails to load as the chunk', () => {
    assert.throws(() => loader.compileChunk('broken', 'throw new Error("cannot start")', undefined, requireFrom), (err: Error) => {
      assert.match(err.stack ?? '', /kubectl-backup\/chunks\/broken\.cjs/);
      return true;
    });
  });
});
