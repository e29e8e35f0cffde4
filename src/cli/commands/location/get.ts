import * as Args from '@oclif/core/args';
import { LocationClient } from '../../../location/location-client.js';
import type { StorageLocation } from '../../../location/storage-location.js';
import { defaultLocationUrl } from '../../../storage/location-url.js';
import { BaseCommand, outputFlag } from '../../base-command.js';
import { formatAge } from '../../output.js';

export default class LocationGet extends BaseCommand {
  static override summary = 'List named storage locations.';
  static override strict = false;
  static override args = { names: Args.string({ description: 'location names (default: all)' }) };
  static override examples = ['kubectl backup location get', 'kubectl backup location get primary -o yaml'];
  static override flags = { output: outputFlag };

  async run(): Promise<void> {
    const { flags, argv } = await this.parse(LocationGet);
    this.useFlags(flags);
    const { client } = await this.connect();
    const locations = new LocationClient(client, this.toolNamespace);
    await locations.requireAvailable('location get');
    const names = argv.map(String);
    const selected: StorageLocation[] = names.length ? await Promise.all(names.map((n) => locations.require(n))) : await locations.list();
    if (selected.length === 0 && flags.output !== 'json' && flags.output !== 'yaml') {
      process.stderr.write(`No storage locations in namespace ${this.toolNamespace}: commands use ${defaultLocationUrl()} unless given --storage; see: kubectl backup location create\n`);
      return;
    }
    const now = new Date();
    this.render(
      flags.output,
      selected,
      [
        { header: 'Name', value: (l) => l.name },
        { header: 'URL', value: (l) => l.url },
        { header: 'Default', value: (l) => String(l.default) },
        { header: 'Access Mode', value: (l) => l.accessMode },
        { header: 'Object Lock', value: (l) => l.objectLock ?? '' },
        { header: 'Credentials', value: (l) => (l.credentialsSecret ? `secret/${l.credentialsSecret}` : '') },
        { header: 'Phase', value: (l) => l.status?.phase ?? 'Unknown' },
        { header: 'Age', value: (l) => formatAge(l.creationTimestamp, now) },
      ],
      selected,
    );
  }
}
