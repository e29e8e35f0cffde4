/**
 * `npm run release`: builds the executable, packs dist/kubectl-backup_linux_amd64.tar.gz and fills
 * krew-manifest.yaml (krew's v1alpha2 Plugin) with that archive's sha256.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import YAML from 'yaml';
import { buildBundle, buildExecutable } from './build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface ReleaseOptions {
  executable: string;
  outDir: string;
  manifestPath: string;
  version: string;
  /** Where the archive will be downloaded from; the archive's name is appended. */
  baseUrl: string;
  platform?: { os: string; arch: string };
}

export interface ReleaseResult {
  archive: string;
  sha256: string;
}

export function archiveName(platform: { os: string; arch: string }): string {
  return `kubectl-backup_${platform.os}_${platform.arch}.tar.gz`;
}

/** Packs the executable and the licence into a gzip tar, with fixed times so that packing is repeatable. */
export async function packArchive(options: ReleaseOptions): Promise<ReleaseResult> {
  const platform = options.platform ?? { os: 'linux', arch: 'amd64' };
  fs.mkdirSync(options.outDir, { recursive: true });
  const archive = path.join(options.outDir, archiveName(platform));
  const pack = tar.pack();
  const writing = pipeline(pack, zlib.createGzip({ level: 9 }), fs.createWriteStream(archive));
  const mtime = new Date(0);
  await addFile(pack, 'LICENSE', fs.readFileSync(path.join(root, 'LICENSE')), 0o644, mtime);
  const stat = fs.statSync(options.executable);
  await new Promise<void>((resolve, reject) => {
    const entry = pack.entry({ name: 'kubectl-backup', size: stat.size, mode: 0o755, mtime }, (err) => (err ? reject(err) : resolve()));
    fs.createReadStream(options.executable).pipe(entry);
  });
  pack.finalize();
  await writing;
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(archive)) hash.update(chunk as Buffer);
  const sha256 = hash.digest('hex');
  fs.writeFileSync(options.manifestPath, krewManifest(options, platform, sha256));
  return { archive, sha256 };
}

function addFile(pack: tar.Pack, name: string, body: Buffer, mode: number, mtime: Date): Promise<void> {
  return new Promise((resolve, reject) => pack.entry({ name, mode, mtime }, body, (err) => (err ? reject(err) : resolve())));
}

export function krewManifest(options: ReleaseOptions, platform: { os: string; arch: string }, sha256: string): string {
  const manifest = {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'backup' },
    spec: {
      version: `v${options.version}`,
      homepage: 'https://github.com/kubectl-backup/kubectl-backup',
      shortDescription: 'Back up and restore cluster resources to disk or S3',
      description: [
        'Backs up the resources of a Kubernetes cluster to a local directory or any',
        'S3-compatible store, and restores them, from the workstation with your',
        'kubeconfig: no operator to install. Velero-compatible filters and archive',
        'layout, streaming and fast on large clusters, write-once storage that works',
        'with S3 Object Lock, and schedules that run as plain CronJobs.',
      ].join('\n') + '\n',
      platforms: [
        {
          selector: { matchLabels: { os: platform.os, arch: platform.arch } },
          uri: `${options.baseUrl.replace(/\/$/, '')}/v${options.version}/${archiveName(platform)}`,
          sha256,
          bin: 'kubectl-backup',
        },
      ],
    },
  };
  return YAML.stringify(manifest);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildBundle();
  buildExecutable();
  const pjson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
  const result = await packArchive({
    executable: path.join(root, 'dist', 'kubectl-backup'),
    outDir: path.join(root, 'dist'),
    manifestPath: path.join(root, 'krew-manifest.yaml'),
    version: pjson.version,
    baseUrl: process.env.RELEASE_BASE_URL ?? 'https://github.com/kubectl-backup/kubectl-backup/releases/download',
  });
  console.log(`packed ${path.relative(root, result.archive)} sha256 ${result.sha256}; krew-manifest.yaml updated`);
}
