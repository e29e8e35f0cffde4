import fs from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..');

/** The single executable of `npm run build`. */
export const builtExecutable = path.join(repoRoot, 'dist', 'kubectl-backup');

export function requireBuiltExecutable(): void {
  if (!fs.existsSync(builtExecutable)) throw new Error('dist/kubectl-backup is missing: run npm run build first');
}

/** Bytes an installer writes at a time (krew copies archive entries through 32 KiB buffers). */
const installChunkBytes = 64 * 1024;

/**
 * What the benchmarks measure: the built executable copied into `dir` the way an installer
 * writes it, chunk by chunk. How the file was written matters to peak RSS, which counts the
 * executable's pages mapped from the page cache: the build writes the 100 MB file in one
 * call, and Linux (6.x, ext4) then caches it in large folios that are mapped whole, so the
 * same executable shows ~18 MB more resident than it does once installed (krew extracts it
 * from the release archive in small writes) or read back from disk after a reboot.
 */
export function installedExecutable(dir: string): string {
  requireBuiltExecutable();
  const target = path.join(dir, 'kubectl-backup');
  const from = fs.openSync(builtExecutable, 'r');
  const to = fs.openSync(target, 'w', 0o755);
  try {
    const buffer = Buffer.allocUnsafe(installChunkBytes);
    for (;;) {
      const read = fs.readSync(from, buffer, 0, buffer.length, null);
      if (read === 0) break;
      fs.writeSync(to, buffer, 0, read);
    }
  } finally {
    fs.closeSync(from);
    fs.closeSync(to);
  }
  return target;
}
