import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { parseAccessMode, parseObjectLock, requireLocationName, requireSecretName } from '../../../location/location-request.js';
import { updateLocation } from '../../../location/manage-locations.js';
import { BaseCommand } from '../../base-command.js';
import { credentialFlags, credentialsFromFlags } from './create.js';

export default class LocationSet extends BaseCommand {
  static override summary = 'Change a storage location: default, access mode, object lock, credentials.';
  static override examples = [
    'kubectl backup location set primary --default',
    'kubectl backup location set archive --access-mode ReadOnly',
    'kubectl backup location set worm --object-lock none',
    'kubectl backup location set primary --credentials-file ./minio.env',
  ];
  static override args = { name: Args.string({ description: 'location name', required: true }) };
  static override flags = {
    default: Flags.boolean({ description: 'make it the default (--no-default: stop being the default)', allowNo: true }),
    'access-mode': Flags.string({ description: 'ReadWrite or ReadOnly', helpValue: 'ReadWrite|ReadOnly' }),
    'object-lock': Flags.string({ description: 'governance, compliance, or none to turn object lock off', helpValue: 'governance|compliance|none' }),
    ...credentialFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LocationSet);
    this.useFlags(flags);
    const name = requireLocationName(args.name);
    const accessMode = flags['access-mode'] === undefined ? undefined : parseAccessMode(flags['access-mode']);
    const objectLock = flags['object-lock'] === undefined ? undefined : parseObjectLock(flags['object-lock'], true);
    const credentialsSecret = flags['credentials-secret'] === undefined ? undefined : requireSecretName(flags['credentials-secret']);
    const credentials = await credentialsFromFlags(flags);
    const { client } = await this.connect();
    const location = await updateLocation(client, this.toolNamespace, name, {
      ...(flags.default !== undefined ? { default: flags.default } : {}),
      ...(accessMode ? { accessMode } : {}),
      ...(objectLock !== undefined ? { objectLock } : {}),
      ...(credentialsSecret ? { credentialsSecret } : {}),
      ...(credentials ? { credentials } : {}),
    });
    this.print(
      `storage location "${name}" updated: default ${location.default}, ${location.accessMode}, object lock ${location.objectLock ?? 'off'}` +
        `${location.credentialsSecret ? `, credentials from Secret ${location.credentialsSecret}` : ''}\n`,
    );
    if (location.rewiredSchedules.length > 0) this.print(`schedules now reading the new credentials: ${location.rewiredSchedules.join(', ')}\n`);
  }
}
