// Libraries that only some commands or setups use are not in the executable's main script but in
// chunks of their own (scripts/build.ts, chunks), carried as assets of the single executable with
// V8's code cache of each, and compiled here the first time one of their libraries is required.
// Run as plain `node build/kubectl-backup.cjs`, the chunks are read from build/chunks instead.
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');

/** How a chunk's source is wrapped, at build (for its code cache) and here alike: a CommonJS module. */
function wrapChunk(source) {
  return `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
}

/** The file name a chunk's code is compiled under: what its stack traces show. */
function chunkFilename(name) {
  return `kubectl-backup/chunks/${name}.cjs`;
}

/**
 * Compiles and runs a chunk's source as a module: its exports, and whether V8 refused the code
 * cache (made by another V8, it is only slower). `requireFrom` answers the chunk's own
 * require() calls: Node's built-in modules, and the libraries of other chunks.
 */
function compileChunk(name, source, cache, requireFrom) {
  const filename = chunkFilename(name);
  const script = new vm.Script(wrapChunk(source), { filename, ...(cache ? { cachedData: cache } : {}) });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, requireFrom, module, filename, path.dirname(filename));
  return { exports: module.exports, cacheRejected: cache ? script.cachedDataRejected === true : undefined };
}

/** A chunk's source and code cache: from the executable's assets, or from files beside the bundle. */
function readChunk(name) {
  const sea = require('node:sea');
  if (sea.isSea()) return { source: sea.getAsset(`${name}.cjs`, 'utf8'), cache: Buffer.from(sea.getAsset(`${name}.cache`)) };
  const dir = path.join(__dirname, 'chunks');
  const cacheFile = path.join(dir, `${name}.cache`);
  return { source: fs.readFileSync(path.join(dir, `${name}.cjs`), 'utf8'), cache: fs.existsSync(cacheFile) ? fs.readFileSync(cacheFile) : undefined };
}

/** Which chunk holds each library: put in by the build in place of this name. */
const chunkOf = typeof KUBECTL_BACKUP_CHUNKS === 'undefined' ? {} : KUBECTL_BACKUP_CHUNKS;
const loaded = new Map();

/** The exports of chunk `name`: an object of each of its libraries' exports, by import name. */
function loadChunk(name) {
  const done = loaded.get(name);
  if (done) return done;
  const { source, cache } = readChunk(name);
  const { exports } = compileChunk(name, source, cache, requireFromChunk);
  loaded.set(name, exports);
  return exports;
}

function requireFromChunk(id) {
  const chunk = chunkOf[id];
  return chunk === undefined ? require(id) : loadChunk(chunk)[id];
}

module.exports = { loadChunk, compileChunk, wrapChunk, chunkFilename };
