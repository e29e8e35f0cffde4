import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import tar from 'tar-stream';
import YAML from 'yaml';
import { packArchive } from '../../scripts/release.js';

interface KrewPlatform {
  selector: { matchLabels: Record<string, string> };
  uri: string;
  sha256: string;
  bin: string;
}
interface KrewManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: { version: string; shortDescription: string; description: string; homepage: string; platforms: KrewPlatform[] };
}

async function listArchive(file: string): Promise<Map<string, { mode: number; body: Buffer }>> {
  const entries = new Map<string, { mode: number; body: Buffer }>();
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: unknown) => chunks.push(c as Buffer));
    stream.on('end', () => {
      entries.set(header.name, { mode: header.mode ?? 0, body: Buffer.concat(chunks) });
      next();
    });
  });
  await pipeline(fs.createReadStream(file), zlib.createGunzip(), extract);
  return entries;
}

function checkManifestShape(manifest: KrewManifest): void {
  assert.equal(manifest.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
  assert.equal(manifest.kind, 'Plugin');
  assert.equal(manifest.metadata.name, 'backup');
  assert.match(manifest.spec.version, /^v\d+\.\d+\.\d+/);
  assert.ok(manifest.spec.shortDescription.length > 0 && manifest.spec.shortDescription.length <= 60);
  assert.ok(manifest.spec.description.length > manifest.spec.shortDescription.length);
  assert.ok(manifest.spec.platforms.length >= 1);
  for (const platform of manifest.spec.platforms) {
    assert.ok(platform.selector.matchLabels.os && platform.selector.matchLabels.arch);
    assert.match(platform.uri, /^https:\/\/.+\.tar\.gz$/);
    assert.match(platform.sha256, /^[0-9a-f]{64}$/);
    assert.equal(platform.bin, 'kubectl-backup');
  }
}

describe('release: archive and krew manifest', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kb-release-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('packs the executable and writes a manifest whose sha256 and bin match the archive', async () => {
    const executable = path.join(dir, 'kubectl-backup');
    fs.writeFileSync(executable, '#!/bin/sh\necho fake\n', { mode: 0o755 });
    const manifestPath = path.join(dir, 'krew-manifest.yaml');
    const result = await packArchive({ executable, outDir: dir, manifestPath, version: '1.2.3', baseUrl: 'https://example.invalid/releases/' });

    const manifest = YAML.parse(fs.readFileSync(manifestPath, 'utf8')) as KrewManifest;
    checkManifestShape(manifest);
    assert.equal(manifest.spec.version, 'v1.2.3');
    const platform = manifest.spec.platforms[0]!;
    assert.deepEqual(platform.selector.matchLabels, { os: 'linux', arch: 'amd64' });
    assert.equal(platform.uri, 'https://example.invalid/releases/v1.2.3/kubectl-backup_linux_amd64.tar.gz');
    assert.equal(path.basename(result.archive), 'kubectl-backup_linux_amd64.tar.gz');
    assert.equal(platform.sha256, createHash('sha256').update(fs.readFileSync(result.archive)).digest('hex'));

    const entries = await listArchive(result.archive);
    const bin = entries.get(platform.bin);
    assert.ok(bin, 'the archive holds the manifest bin');
    assert.equal(bin.mode & 0o111, 0o111, 'the bin is executable');
    assert.deepEqual(bin.body, fs.readFileSync(executable));
    assert.ok(entries.has('LICENSE'));
  });

  it('keeps the committed krew-manifest.yaml well-formed and at the package version', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const manifest = YAML.parse(fs.readFileSync(path.join(root, 'krew-manifest.yaml'), 'utf8')) as KrewManifest;
    checkManifestShape(manifest);
    const pjson = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(manifest.spec.version, `v${pjson.version}`);
  });
});
