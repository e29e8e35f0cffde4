import { readFile } from 'node:fs/promises';
import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BadInputError } from '../../../errors.js';
import { parseCredentialsFile, type S3Credentials } from '../../../location/credentials-file.js';
import { parseAccessMode, parseObjectLock, requireLocationName, requireSecretName } from '../../../location/location-request.js';
import { createLocation } from '../../../location/manage-locations.js';
import { parseLocationUrl } from '../../../storage/location-url.js';
import { BaseCommand } from '../../base-command.js';

export const credentialFlags = {
  'credentials-secret': Flags.string({ description: 'Secret in the tool namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and optionally AWS_SESSION_TOKEN)' }),
  'credentials-file': Flags.string({ description: 'AWS credentials file or KEY=VALUE env file: its keys are stored in a Secret kubectl-backup-location-NAME (never printed)' }),
  'credentials-profile': Flags.string({ description: 'profile of --credentials-file to use (default: [default], or its only profile)' }),
};

/** Reads `--credentials-file` (never echoed); undefined without the flag. */
export async function credentialsFromFlags(flags: { 'credentials-file'?: string; 'credentials-profile'?: string }): Promise<S3Credentials | undefined> {
  const file = flags['credentials-file'];
  if (file === undefined) {
    if (flags['credentials-profile'] !== undefined) throw new BadInputError('--credentials-profile needs --credentials-file');
    return undefined;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new BadInputError(`--credentials-file ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseCredentialsFile(text, file, flags['credentials-profile']);
}

export default class LocationCreate extends BaseCommand {
  static override summary = 'Create a named storage location (a BackupStorageLocation object).';
  static override examples = [
    'kubectl backup location create primary --url "s3://backups/prod?region=eu-west-1" --credentials-file ~/.aws/credentials --default',
    'kubectl backup location create minio --url "s3://backups?endpoint=http://minio:9000&forcePathStyle=true" --credentials-secret minio-creds',
    'kubectl backup location create archive --url s3://archive --access-mode ReadOnly',
    'kubectl backup location create worm --url s3://worm-bucket --object-lock compliance',
  ];
  static override args = { name: Args.string({ description: 'location name (a DNS-1123 label)', required: true }) };
  static override flags = {
    url: Flags.string({ description: 'file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]', required: true }),
    ...credentialFlags,
    default: Flags.boolean({ description: 'use this location when a command names none (the previous default stops being one)' }),
    'access-mode': Flags.string({ description: 'ReadWrite, or ReadOnly: restore from it, never write to it', default: 'ReadWrite', helpValue: 'ReadWrite|ReadOnly' }),
    'object-lock': Flags.string({ description: 'put every object under S3 Object Lock retention until its backup expires', helpValue: 'governance|compliance' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LocationCreate);
    this.useFlags(flags);
    const namespace = this.toolNamespace;
    const name = requireLocationName(args.name);
    parseLocationUrl(flags.url);
    const accessMode = parseAccessMode(flags['access-mode']);
    const objectLock = flags['object-lock'] === undefined ? undefined : (parseObjectLock(flags['object-lock']) ?? undefined);
    const credentialsSecret = flags['credentials-secret'] === undefined ? undefined : requireSecretName(flags['credentials-secret']);
    const credentials = await credentialsFromFlags(flags);
    const { client } = await this.connect();
    const location = await createLocation(client, namespace, {
      name,
      url: flags.url,
      ...(credentialsSecret ? { credentialsSecret } : {}),
      ...(credentials ? { credentials } : {}),
      default: flags.default,
      accessMode,
      ...(objectLock ? { objectLock } : {}),
    });
    const extras = [
      location.default ? 'default' : undefined,
      location.accessMode === 'ReadOnly' ? 'ReadOnly' : undefined,
      location.objectLock ? `object lock ${location.objectLock}` : undefined,
      location.credentialsSecret ? `credentials from Secret ${location.credentialsSecret}` : undefined,
    ].filter(Boolean);
    this.print(`storage location "${name}" created${extras.length ? ` (${extras.join(', ')})` : ''}; see: kubectl backup location check ${name}\n`);
  }
}
