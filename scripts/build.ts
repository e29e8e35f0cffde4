/**
 * `npm run build`: bundles the CLI with esbuild into a CommonJS script and chunks of libraries
 * that few runs need, then makes them a Node single executable application (SEA): the blob is
 * injected into a copy of the Node binary that runs this script (Node 24, from the devDependency
 * `node`). pkg cannot do this offline.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import * as esbuild from 'esbuild';
import { commandManifest } from '../src/cli/oclif-config.js';
import { chunkFilename, wrapChunk } from './stubs/load-chunk.cjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const buildDir = path.join(root, 'build');
const distDir = path.join(root, 'dist');
const bundle = path.join(buildDir, 'kubectl-backup.cjs');
const executable = path.join(distDir, 'kubectl-backup');
const stub = path.join(root, 'scripts', 'stubs', 'missing-module.cjs');
const undiciStub = path.join(root, 'scripts', 'stubs', 'undici-unused.cjs');
const generatedClientsStub = path.join(root, 'scripts', 'stubs', 'client-node-generated-unused.cjs');

/** client-node's config module imports its generated API clients for makeApiClient() only, never called here. */
const leaveOutGeneratedClients: esbuild.Plugin = {
  name: 'client-node-generated-clients',
  setup(build) {
    const importer = path.join('@kubernetes', 'client-node', 'dist', 'config.js');
    build.onResolve({ filter: /^\.\/gen\/index\.js$/ }, (args) => (args.importer.endsWith(importer) ? { path: generatedClientsStub } : undefined));
  },
};

/**
 * Libraries that cost milliseconds of every start for work most runs never do: each import is
 * answered by a stub of the same API that loads the library when first used (scripts/stubs,
 * each says why). The stubs' own imports reach the real libraries.
 */
const deferredModules: Record<string, string> = {
  debug: 'deferred-debug.cjs',
  ejs: 'deferred-ejs.cjs',
  tinyglobby: 'deferred-tinyglobby.cjs',
  'socks-proxy-agent': 'deferred-socks-proxy-agent.cjs',
  socks: 'deferred-socks.cjs',
  yaml: 'deferred-yaml.cjs',
  minimatch: 'deferred-minimatch.cjs',
  'cli-spinners': 'deferred-cli-spinners.cjs',
  'openid-client': 'deferred-openid-client.cjs',
  'jsonpath-plus': 'deferred-jsonpath-plus.cjs',
};

/** In a chunk's own build, its libraries are bundled as they are, not answered by their stubs. */
function loadWhenUsed(own: readonly string[] = []): esbuild.Plugin {
  return {
    name: 'load-when-used',
    setup(build) {
      const stubs = path.join(root, 'scripts', 'stubs');
      const deferred = Object.keys(deferredModules).filter((name) => !own.includes(name));
      build.onResolve({ filter: new RegExp(`^(${deferred.join('|')})$`) }, (args) =>
        path.dirname(args.importer) === stubs ? undefined : { path: path.join(stubs, deferredModules[args.path]!) },
      );
    },
  };
}

/**
 * Libraries that only some commands or setups use, each group built into a chunk of its own
 * (build/chunks/NAME.cjs) rather than into the main script. Every start deserializes the main
 * script's code cache, which grows with all the code bundled, run or not: the S3 SDK alone,
 * never loaded for a file:// location, made a backup's start ~12 ms slower (30 runs alternated).
 * The executable carries each chunk and its code cache as assets; the first require() of one of
 * its libraries compiles it (scripts/stubs/load-chunk.cjs). Libraries that share state (the S3
 * client and its upload helper) are in one chunk, so that each exists once.
 */
const chunks: Record<string, readonly string[]> = {
  s3: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage'],
  yaml: ['yaml'],
  cron: ['cron-parser'],
  oidc: ['openid-client', 'jsonpath-plus'],
  socks: ['socks-proxy-agent', 'socks'],
  oclif: ['cli-spinners', 'ejs', 'minimatch', 'tinyglobby'],
};
const chunkDir = path.join(buildDir, 'chunks');
const chunkLoader = path.join(root, 'scripts', 'stubs', 'load-chunk.cjs');
const chunkOf = Object.fromEntries(Object.entries(chunks).flatMap(([chunk, libraries]) => libraries.map((library) => [library, chunk])));

/** Outside chunk `own`, a library of a chunk is what the chunk loader gives for it. */
function fromChunks(own?: string): esbuild.Plugin {
  const elsewhere = Object.keys(chunkOf).filter((library) => chunkOf[library] !== own);
  return {
    name: 'from-chunks',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${elsewhere.map((l) => l.replace(/[/.]/g, '\\$&')).join('|')})$`) }, (args) =>
        // A chunk's require() of another chunk's library is answered at run time (load-chunk.cjs).
        own === undefined ? { path: args.path, namespace: 'chunk' } : { path: args.path, external: true },
      );
      build.onLoad({ filter: /.*/, namespace: 'chunk' }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(chunkLoader)}).loadChunk(${JSON.stringify(chunkOf[args.path])})[${JSON.stringify(args.path)}];`,
        resolveDir: root,
        loader: 'js',
      }));
    },
  };
}

/** ESM-only dependencies bundled as CommonJS ask for import.meta (scripts/stubs/import-meta-url.cjs). */
const importMeta = { 'import.meta.dirname': '__dirname', 'import.meta.url': '__importMetaUrl' };

/** What the main script and the chunks are built with alike. */
const bundleOptions: esbuild.BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node24',
  minify: true,
  legalComments: 'none',
  // oclif can load the TypeScript compiler for development setups; never needed here.
  external: ['typescript'],
  alias: { encoding: stub, bufferutil: stub, 'utf-8-validate': stub, undici: undiciStub },
  // With SEA's code cache a real dynamic import() fails: turn it into require().
  supported: { 'dynamic-import': false },
  inject: [path.join(root, 'scripts', 'stubs', 'import-meta-url.cjs')],
  logLevel: 'warning',
};

export async function buildBundle(): Promise<void> {
  fs.mkdirSync(buildDir, { recursive: true });
  // oclif's manifest of every command, made here once: a run of the executable reads it and
  // loads only its own command (src/cli/oclif-config.ts).
  const manifest = await commandManifest(root);
  await esbuild.build({
    ...bundleOptions,
    entryPoints: [path.join(root, 'bin', 'kubectl-backup.ts')],
    outfile: bundle,
    banner: { js: 'process.env.OCLIF_DISABLE_ENGINE_WARNING ??= "1";' },
    define: { ...importMeta, KUBECTL_BACKUP_COMMAND_MANIFEST: JSON.stringify(manifest), KUBECTL_BACKUP_CHUNKS: JSON.stringify(chunkOf) },
    plugins: [leaveOutGeneratedClients, loadWhenUsed(), fromChunks()],
  });
  fs.rmSync(chunkDir, { recursive: true, force: true });
  await Promise.all(
    Object.entries(chunks).map(([name, libraries]) =>
      esbuild.build({
        ...bundleOptions,
        stdin: { contents: `module.exports = {${libraries.map((l) => `${JSON.stringify(l)}: require(${JSON.stringify(l)})`).join(', ')}};`, resolveDir: root, loader: 'js' },
        outfile: path.join(chunkDir, `${name}.cjs`),
        define: importMeta,
        plugins: [leaveOutGeneratedClients, loadWhenUsed(libraries), fromChunks(name)],
      }),
    ),
  );
  writeChunkCaches();
}

/**
 * V8's code cache of each chunk, made as Node makes the main script's (compiled, not run) by the
 * Node that builds the executable: a cache from another V8 would be refused, only costing time.
 */
function writeChunkCaches(): void {
  for (const name of Object.keys(chunks)) {
    const source = fs.readFileSync(path.join(chunkDir, `${name}.cjs`), 'utf8');
    fs.writeFileSync(path.join(chunkDir, `${name}.cache`), new vm.Script(wrapChunk(source), { filename: chunkFilename(name) }).createCachedData());
  }
}

/**
 * V8 heap settings of the executable. Left alone, V8 grows its heap far beyond what is live
 * while a backup streams pages through it (300 MB resident for 100k objects with 25 MB live);
 * a smaller young generation and an old-space ceiling make it collect sooner, at no measured
 * CPU cost (`npm run bench -- backup`). The ceiling still leaves room for LIST pages of large
 * objects. The young generation starts at 4 MB rather than 1 MB: loading the bundle otherwise
 * takes several scavenges, each copying what it has loaded so far (`--help` 149 → 143 ms
 * median, 21 runs alternated; 3 and 8 MB did no better).
 */
export const v8Flags = ['--min-semi-space-size=4', '--max-semi-space-size=8', '--max-old-space-size=1024'];

export function buildExecutable(): void {
  fs.mkdirSync(distDir, { recursive: true });
  const seaConfig = path.join(buildDir, 'sea-config.json');
  const blob = path.join(buildDir, 'sea-prep.blob');
  const assets = Object.fromEntries(Object.keys(chunks).flatMap((name) => [`${name}.cjs`, `${name}.cache`].map((file) => [file, path.join(chunkDir, file)])));
  fs.writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, execArgv: v8Flags, assets }));
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], { stdio: 'inherit' });
  fs.rmSync(executable, { force: true });
  fs.copyFileSync(process.execPath, executable);
  fs.chmodSync(executable, 0o755);
  // Debug symbols are half of Node's binary and never used by the tool.
  try {
    execFileSync('strip', ['--strip-all', executable], { stdio: 'ignore' });
  } catch {
    // strip is optional: the executable works unstripped, only larger.
  }
  const postject = path.join(root, 'node_modules', 'postject', 'dist', 'cli.js');
  execFileSync(process.execPath, [postject, executable, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2'], {
    stdio: 'pipe',
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  await buildBundle();
  buildExecutable();
  const size = (fs.statSync(executable).size / 1024 / 1024).toFixed(0);
  const bundleSize = (fs.statSync(bundle).size / 1024 / 1024).toFixed(1);
  console.log(`built ${path.relative(root, executable)} (${size} MB, bundle ${bundleSize} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
