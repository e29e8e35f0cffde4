import * as Flags from '@oclif/core/flags';
import { collectGarbage, type GcReport } from '../../gc/collect-garbage.js';
import { requireWritable, resolveEach } from '../../location/resolve.js';
import { ExitCode } from '../../errors.js';
import { BaseCommand, outputFlag } from '../base-command.js';
import { everyLocationFlags, locationChoice } from '../every-location-flags.js';

export default class Gc extends BaseCommand {
  static override summary = 'Delete expired backups, and what backups that never finished left behind (artifacts, partial uploads).';
  static override description =
    'For each storage location (every ReadWrite named location, or the one given): deletes the backups whose expiry has passed (record first, then artifacts, ' +
    'the records of restores made from them and their Backup objects), and, once they are 24 hours old, the artifacts of backups without a record and the partial ' +
    'uploads of writes that never finished (on S3, incomplete multipart uploads: invisible to listings, yet kept and billed until aborted). ' +
    'A backup its storage keeps under object lock retention is kept and reported. Scheduled runs do this after each backup.';
  static override examples = ['kubectl backup gc --dry-run', 'kubectl backup gc', 'kubectl backup gc --storage-location primary'];
  static override flags = {
    'dry-run': Flags.boolean({ description: 'say what would be deleted, delete nothing' }),
    ...everyLocationFlags,
    output: outputFlag,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Gc);
    this.useFlags(flags);
    const { client } = await this.connect();
    const namespace = this.toolNamespace;
    const locations = await resolveEach(locationChoice(flags), { client, namespace, logger: this.logger }, false);
    if (!flags['dry-run']) for (const location of locations) requireWritable(location, 'gc');
    const reports: (GcReport & { location: string })[] = [];
    for (const location of locations) {
      const report = await collectGarbage(location.store, { dryRun: flags['dry-run'], cluster: { client, namespace, locationRefs: [location.reference] }, locationLabel: location.label, logger: this.logger });
      reports.push({ location: location.name ?? location.url, ...report });
    }
    if (reports.some((r) => r.failed.length > 0)) this.setExitCode(ExitCode.Failed);
    if (flags.output === 'json' || flags.output === 'yaml') {
      this.printData(flags.output, reports);
      return;
    }
    const verb = flags['dry-run'] ? 'would delete' : 'deleted';
    for (const r of reports) {
      this.print(`${r.location}:\n`);
      for (const b of r.expired) this.print(`  ${verb} backup ${b.name} (expired ${b.expiredAt})\n`);
      for (const l of r.locked) this.print(`  kept backup ${l.name}: under object lock retention${l.retainUntil ? ` until ${l.retainUntil}` : ''}\n`);
      for (const o of r.orphans) this.print(`  ${verb} unfinished backup ${o.name} (${o.objects} objects, last written ${o.lastModified})\n`);
      for (const f of r.failed) this.print(`  could not delete backup ${f.name}: ${f.message}\n`);
      for (const o of r.failedObjects) this.print(`  ${verb} the Backup object of failed backup ${o.name} (expired ${o.expiredAt})\n`);
      for (const w of r.warnings) this.logger.log('warn', `backup "${w.name}" is deleted, but ${w.warning}`, { location: r.location });
      if (r.partialUploadsError !== undefined) this.logger.log('warn', `partial uploads were not removed: ${r.partialUploadsError}`, { location: r.location });
      if (r.partialUploads) this.print(`  ${verb} ${r.partialUploads} partial upload${r.partialUploads === 1 ? '' : 's'} of writes that never finished\n`);
      if (!r.expired.length && !r.locked.length && !r.orphans.length && !r.failed.length && !r.failedObjects.length && !r.partialUploads) this.print('  nothing to delete\n');
    }
  }
}
