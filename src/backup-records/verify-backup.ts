import { verifyArtifact } from '../storage/artifact-integrity.js';
import type { BackupRecord } from '../storage/backup-record.js';
import { backupKeys } from '../storage/layout.js';
import type { ObjectStore } from '../storage/object-store.js';
import { ArtifactIntegrityError } from '../storage/storage-errors.js';

export interface ArtifactCheck {
  readonly key: string;
  readonly size: number;
  readonly sha256: string;
  readonly ok: boolean;
  /** What does not match, when something does not. */
  readonly problem?: string;
}

export interface VerifyReport {
  readonly backup: string;
  readonly phase: string;
  readonly artifacts: readonly ArtifactCheck[];
  readonly ok: boolean;
}

/**
 * `kubectl backup verify`: re-reads every artifact the record lists, to its end, and checks
 * its size and sha256 against the record (storage.md, Integrity). A backup that ended with a
 * record but without an archive cannot be restored: that is a failed check too. A store that
 * cannot be read is not a mismatch: its error ends the verification (exit 1).
 * @param onChecked called as each artifact is done, for output that keeps pace
 */
export async function verifyBackup(store: ObjectStore, record: BackupRecord, onChecked: (check: ArtifactCheck) => void = () => undefined): Promise<VerifyReport> {
  const checks: ArtifactCheck[] = [];
  const archiveKey = backupKeys(record.metadata.name).archive;
  const artifacts = [...record.status.artifacts];
  if (record.status.phase !== 'Failed' && !artifacts.some((a) => a.key === archiveKey)) {
    const check = { key: archiveKey, size: 0, sha256: '', ok: false, problem: 'the record lists no archive' };
    checks.push(check);
    onChecked(check);
  }
  for (const artifact of artifacts) {
    let check: ArtifactCheck;
    try {
      await verifyArtifact(store, artifact);
      check = { ...artifact, ok: true };
    } catch (err) {
      if (!(err instanceof ArtifactIntegrityError)) throw err;
      check = { ...artifact, ok: false, problem: integrityProblem(err) };
    }
    checks.push(check);
    onChecked(check);
  }
  return { backup: record.metadata.name, phase: record.status.phase, artifacts: checks, ok: checks.every((c) => c.ok) };
}

/** The problem alone: the line that shows it already names the artifact. */
function integrityProblem(err: ArtifactIntegrityError): string {
  const prefix = `artifact "${err.key}" failed its integrity check: `;
  return err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
}
