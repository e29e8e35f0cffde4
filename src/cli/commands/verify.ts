import * as Args from '@oclif/core/args';
import { formatSize } from '../../backup-records/size-format.js';
import { verifyBackup, type ArtifactCheck } from '../../backup-records/verify-backup.js';
import { ExitCode } from '../../errors.js';
import { outputFlag } from '../base-command.js';
import { BackupRecordsCommand } from '../backup-records-command.js';
import { storageFlags } from '../storage-command.js';
import { requireDns1123Name } from '../dns-name.js';

export default class Verify extends BackupRecordsCommand {
  static override summary = 'Re-read every artifact of a backup and check its size and sha256 against the record.';
  static override description =
    'Each artifact is read to its end from storage and reported ✓ or ✗. A mismatch (a corrupted, truncated or missing artifact) ' +
    'is untrusted data: exit code 2. A storage that cannot be read: exit code 1.';
  static override usage = 'NAME [-o table|json|yaml]';
  static override args = { name: Args.string({ description: 'backup name', required: true }) };
  static override examples = ['kubectl backup verify nightly-20240101030000'];
  static override flags = { output: outputFlag, ...storageFlags };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Verify);
    this.useFlags(flags);
    const name = requireDns1123Name('backup', args.name);
    const { catalog, location } = await this.openBackups(flags);
    const record = await catalog.requireRecord(name);
    const structured = flags.output === 'json' || flags.output === 'yaml' ? flags.output : undefined;
    if (!structured) this.print(`Verifying backup "${name}" in ${location.label} (${record.status.artifacts.length} artifacts)\n`);
    const width = Math.max(0, ...record.status.artifacts.map((a) => a.key.length));
    const report = await verifyBackup(location.store, record, (check) => {
      if (!structured) this.print(line(check, width));
    });
    if (structured) this.printData(structured, report);
    else {
      const bad = report.artifacts.filter((c) => !c.ok).length;
      this.print(bad === 0 ? `All ${report.artifacts.length} artifacts match the record.\n` : `${bad} of ${report.artifacts.length} artifacts do not match the record: backup "${name}" cannot be trusted.\n`);
    }
    if (!report.ok) this.setExitCode(ExitCode.BadInput);
  }
}

function line(check: ArtifactCheck, width: number): string {
  if (check.ok) return `  ✓ ${check.key.padEnd(width)}   ${formatSize(check.size).padStart(9)}   sha256:${check.sha256}\n`;
  return `  ✗ ${check.key.padEnd(width)}   ${check.problem ?? 'does not match the record'}\n`;
}
