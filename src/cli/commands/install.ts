import * as Flags from '@oclif/core/flags';
import { BadInputError, CliError, OperationError, errorMessage } from '../../errors.js';
import { validateImage } from '../../install/image.js';
import { install } from '../../install/install.js';
import { installManifests } from '../../install/manifests.js';
import { BaseCommand } from '../base-command.js';
import { renderData } from '../output.js';

export default class Install extends BaseCommand {
  static override summary = 'Install the CRDs, the namespace, and the ServiceAccount and RBAC that scheduled backups run as.';
  static override description =
    'Applies, idempotently: the tool namespace, the CustomResourceDefinitions backups, restores and backupstoragelocations (kubectl-backup.io/v1), ' +
    'the ServiceAccount kubectl-backup-runner with read-only access to every resource and write access to its own records, and a ConfigMap with the image schedules run. ' +
    'Running it again updates what changed. With --dry-run it prints the manifests instead (for GitOps).';
  static override examples = [
    'kubectl backup install',
    'kubectl backup install --dry-run -o yaml > kubectl-backup.yaml',
    'kubectl backup install --image registry.example.com/kubectl-backup:v0.1.0',
  ];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'print the manifests instead of applying them' }),
    output: Flags.option({ char: 'o', description: 'format of the manifests printed by --dry-run', options: ['yaml', 'json'] as const })(),
    image: Flags.string({ description: 'container image that schedules run (default: the released image of this version)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Install);
    this.useFlags(flags);
    const namespace = this.toolNamespace;
    const image = flags.image === undefined ? undefined : validateImage(flags.image);
    if (flags.output && !flags['dry-run']) throw new BadInputError('--output prints the manifests and needs --dry-run');
    const options = { namespace, ...(image === undefined ? {} : { image }) };
    if (flags['dry-run']) {
      const manifests = installManifests(options);
      if (flags.output === 'json') this.print(renderData('json', { apiVersion: 'v1', kind: 'List', items: manifests }));
      else this.print(manifests.map((m) => renderData('yaml', m)).join('---\n'));
      return;
    }
    const { client } = await this.connect();
    let applied;
    try {
      applied = await install(client, options);
    } catch (err) {
      if (err instanceof CliError) throw err;
      throw new OperationError(`install failed: ${errorMessage(err)}`, { cause: err });
    }
    for (const a of applied) this.print(`${a.ref} ${a.outcome}\n`);
    this.print(`kubectl-backup is installed in namespace ${namespace}\n`);
  }
}
