/**
 * `npm run build`: bundles the CLI with esbuild into one CommonJS file, then makes it a Node
 * single executable application (SEA): the blob is injected into a copy of the Node binary that
 * runs this script (Node 24, from the devDependency `node`). pkg cannot do this offline.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { commandManifest } from '../src/cli/oclif-config.js';

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

const loadWhenUsed: esbuild.Plugin = {
  name: 'load-when-used',
  setup(build) {
    const stubs = path.join(root, 'scripts', 'stubs');
    build.onResolve({ filter: new RegExp(`^(${Object.keys(deferredModules).join('|')})$`) }, (args) =>
      path.dirname(args.importer) === stubs ? undefined : { path: path.join(stubs, deferredModules[args.path]!) },
    );
  },
};

export async function buildBundle(): Promise<void> {
  fs.mkdirSync(buildDir, { recursive: true });
  // oclif's manifest of every command, made here once: a run of the executable reads it and
  // loads only its own command (src/cli/oclif-config.ts).
  const manifest = await commandManifest(root);
  await esbuild.build({
    entryPoints: [path.join(root, 'bin', 'kubectl-backup.ts')],
    outfile: bundle,
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
    banner: { js: 'process.env.OCLIF_DISABLE_ENGINE_WARNING ??= "1";' },
    define: { 'import.meta.dirname': '__dirname', 'import.meta.url': '__importMetaUrl', KUBECTL_BACKUP_COMMAND_MANIFEST: JSON.stringify(manifest) },
    inject: [path.join(root, 'scripts', 'stubs', 'import-meta-url.cjs')],
    logLevel: 'warning',
    plugins: [leaveOutGeneratedClients, loadWhenUsed],
  });
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
  fs.writeFileSync(seaConfig, JSON.stringify({ main: bundle, output: blob, disableExperimentalSEAWarning: true, useCodeCache: true, execArgv: v8Flags }));
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
