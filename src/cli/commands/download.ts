import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { checkDownloadTarget, defaultDownloadPath, downloadArchive } from '../../backup-records/download-archive.js';
import { formatSize } from '../../backup-records/size-format.js';
import { BackupRecordsCommand } from '../backup-records-command.js';
import { storageFlags } from '../storage-command.js';
import { requireDns1123Name } from '../dns-name.js';

export default class Download extends BackupRecordsCommand {
  static override summary = "Download a backup's archive to a file.";
  static override description =
    'Writes the gzip tar archive of the backup (default file: NAME-data.tar.gz in the current directory), checking its size and sha256 ' +
    'against the record as it streams. A file that exists is kept unless --force. On a mismatch nothing is left behind and the error names ' +
    'the artifact. The archive holds Secrets: the file is readable by its owner only.';
  static override usage = 'NAME [-o FILE] [--force]';
  static override args = { name: Args.string({ description: 'backup name', required: true }) };
  static override examples = ['kubectl backup download nightly-20240101030000', 'kubectl backup download nightly-20240101030000 -o /tmp/nightly.tar.gz --force'];
  static override flags = {
    output: Flags.string({ char: 'o', description: 'file to write (default: NAME-data.tar.gz in the current directory)' }),
    force: Flags.boolean({ description: 'replace the file if it exists' }),
    ...storageFlags,
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(Download);
    this.useFlags(flags);
    const name = requireDns1123Name('backup', args.name);
    const target = await checkDownloadTarget(flags.output ?? defaultDownloadPath(name), flags.force);
    const { catalog, location } = await this.openBackups(flags);
    const record = await catalog.requireRecord(name);
    const result = await downloadArchive(location.store, record, target);
    this.print(`Backup "${name}" downloaded to ${result.path} (${formatSize(result.size)}, sha256:${result.sha256}, checked against its record)\n`);
  }
}
