import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { LocationClient } from '../../../location/location-client.js';
import { requireLocationName } from '../../../location/location-request.js';
import { deleteLocation } from '../../../location/manage-locations.js';
import { BaseCommand } from '../../base-command.js';
import { confirmDestructive } from '../../confirm.js';

export default class LocationDelete extends BaseCommand {
  static override summary = 'Delete a named storage location. The backups in it are kept.';
  static override examples = ['kubectl backup location delete old-bucket --confirm'];
  static override args = { name: Args.string({ description: 'location name', required: true }) };
  static override flags = { confirm: Flags.boolean({ description: 'do not ask; required when not on a terminal' }) };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(LocationDelete);
    this.useFlags(flags);
    const name = requireLocationName(args.name);
    const { client } = await this.connect();
    const locations = new LocationClient(client, this.toolNamespace);
    await locations.requireAvailable('location delete');
    await locations.require(name);
    if (!(await confirmDestructive('location delete', `Delete storage location "${name}"? The backups in it are kept.`, flags.confirm))) {
      process.stderr.write('Cancelled: nothing was deleted.\n');
      return;
    }
    const deleted = await deleteLocation(client, this.toolNamespace, name);
    if (deleted.usedBy.length) {
      this.logger.log('warn', `schedules still write to this location and will fail until recreated with another: ${deleted.usedBy.join(', ')}`, { location: name });
    }
    this.print(`storage location "${name}" deleted${deleted.secretDeleted ? ', with its credentials Secret' : ''} (its backups are kept in storage)\n`);
  }
}
