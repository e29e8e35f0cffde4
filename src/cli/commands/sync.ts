import { requireOwnCrds } from '../../install/installed.js';
import { resolveEach } from '../../location/resolve.js';
import { syncBackups, type SyncReport } from '../../sync/sync-backups.js';
import { BaseCommand, outputFlag } from '../base-command.js';
import { everyLocationFlags, locationChoice } from '../every-location-flags.js';

export default class Sync extends BaseCommand {
  static override summary = 'Mirror backup records from storage into Backup objects in the cluster.';
  static override description =
    'Storage is the source of truth: every backup record of each location (every named location, or the one given) gets its Backup object, with the status of the record, ' +
    'and the Backup object of a backup of the location that ended (Completed, PartiallyFailed) but whose record is gone from storage is deleted. ' +
    "A backup of a schedule created with --use-owner-references-in-backup is owned by the schedule's CronJob while it exists; " +
    'a reference to an owner that no longer exists is dropped, so that the garbage collector does not delete what sync brings back.';
  static override examples = ['kubectl backup sync', 'kubectl backup sync --storage-location primary'];
  static override flags = {
    ...everyLocationFlags,
    output: outputFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Sync);
    this.useFlags(flags);
    const { client } = await this.connect();
    const namespace = this.toolNamespace;
    await requireOwnCrds(client, 'sync', ['backups']);
    const locations = await resolveEach(locationChoice(flags), { client, namespace, logger: this.logger }, true);
    const reports: (SyncReport & { location: string })[] = [];
    for (const location of locations) reports.push({ location: location.name ?? location.url, ...(await syncBackups(client, namespace, location.store, location.reference)) });
    if (flags.output === 'json' || flags.output === 'yaml') {
      this.printData(flags.output, reports);
      return;
    }
    for (const r of reports) {
      this.print(
        `${r.location}: ${r.created.length} created, ${r.updated.length} updated, ${r.deleted.length} deleted (gone from storage), ${r.ownerReferencesDropped.length} ownerReferences to deleted schedules dropped, ${r.unchanged} unchanged\n`,
      );
      for (const u of r.unreadable) this.logger.log('warn', 'backup record not readable: not synced', { location: r.location, backup: u.name, error: u.error });
    }
  }
}
