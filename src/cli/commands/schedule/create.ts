import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BaseCommand, outputFlag } from '../../base-command.js';
import { filterFlags, pageSizeFlag, parseFilterFlags } from '../../filter-flags.js';
import { parseNonNegativeDuration } from '../../go-duration.js';
import { parseKeyValueFlag } from '../../key-value-flag.js';
import { isoInZone } from '../../schedule-flags.js';
import { validateImage } from '../../../install/image.js';
import { requireDns1123Label } from '../../../install/namespace-name.js';
import { parseCron } from '../../../schedule/cron.js';
import { createSchedule } from '../../../schedule/create-schedule.js';
import { requireRuns } from '../../../schedule/next-runs.js';
import { requireScheduleName } from '../../../schedule/schedule-name.js';
import { scheduleView } from '../../../schedule/schedule-view.js';
import { templateFilters } from '../../../schedule/template-filters.js';
import { validateTimeZone } from '../../../schedule/time-zone.js';
import { scheduleColumns } from './get.js';

export default class ScheduleCreate extends BaseCommand {
  static override summary = 'Create a schedule: a CronJob that takes a backup with these filters at every time CRON gives.';
  static override description =
    'Creates a CronJob in the tool namespace whose pod runs `kubectl-backup create --from-schedule NAME` as the ServiceAccount kubectl-backup-runner. ' +
    'The backup settings are stored as JSON in its kubectl-backup.io/backup-template annotation. Each backup is named NAME-YYYYMMDDhhmmss (UTC). ' +
    'No backup is taken now: the first one is taken at the next time CRON gives. Needs kubectl backup install and a storage location (--storage-location, or the default one).';
  static override examples = [
    'kubectl backup schedule create nightly --schedule "0 2 * * *" --time-zone Europe/Paris --ttl 168h',
    'kubectl backup schedule create apps --schedule @hourly --include-namespaces "app-*" --storage-location primary',
  ];
  static override args = { name: Args.string({ description: 'schedule name: a DNS-1123 label of at most 48 characters', required: true }) };
  static override flags = {
    schedule: Flags.string({ description: 'when to take backups: five cron fields (minute hour day-of-month month day-of-week) or @yearly, @monthly, @weekly, @daily, @hourly', required: true }),
    'time-zone': Flags.string({ description: "IANA time zone the schedule is read in (default: the CronJob controller's, usually UTC)" }),
    paused: Flags.boolean({ description: 'create the schedule paused (spec.suspend)' }),
    ...filterFlags,
    'client-page-size': pageSizeFlag,
    ttl: Flags.string({ description: 'how long each backup is kept, e.g. 720h; 0 keeps it forever', default: '720h' }),
    'storage-location': Flags.string({ description: 'name of the BackupStorageLocation backups go to (default: the default location)' }),
    labels: Flags.string({ description: 'labels of the schedule and of each of its backups: k=v, comma-separated', multiple: true }),
    annotations: Flags.string({ description: 'annotations of each backup: k=v, comma-separated', multiple: true }),
    'use-owner-references-in-backup': Flags.boolean({ description: "make the schedule's CronJob the owner of its Backup objects (deleting the schedule deletes the objects, never the data)" }),
    image: Flags.string({ description: 'container image the CronJob runs (default: the one install recorded, else the released image of this version)' }),
    output: outputFlag,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ScheduleCreate);
    this.useFlags(flags);
    // Every value is checked before anything is read from or written to the cluster.
    const name = requireScheduleName(args.name);
    const namespace = this.toolNamespace;
    const cron = parseCron(flags.schedule);
    requireRuns(cron);
    const timeZone = flags['time-zone'] === undefined ? undefined : validateTimeZone(flags['time-zone']);
    const filters = parseFilterFlags(flags);
    parseNonNegativeDuration('ttl', flags.ttl);
    const labels = parseKeyValueFlag('labels', flags.labels);
    const annotations = parseKeyValueFlag('annotations', flags.annotations);
    const image = flags.image === undefined ? undefined : validateImage(flags.image);
    const storageLocation = flags['storage-location'] === undefined ? undefined : requireDns1123Label('--storage-location', flags['storage-location']);

    const { client } = await this.connect();
    const created = await createSchedule(client, {
      name,
      namespace,
      schedule: cron.expression,
      ...(timeZone !== undefined ? { timeZone } : {}),
      paused: flags.paused,
      ...(image !== undefined ? { image } : {}),
      ...(storageLocation !== undefined ? { storageLocation } : {}),
      labels,
      template: {
        ...templateFilters(filters),
        ttl: flags.ttl.trim(),
        clientPageSize: flags['client-page-size'],
        labels,
        annotations,
        useOwnerReferencesInBackup: flags['use-owner-references-in-backup'],
      },
    });
    for (const warning of created.warnings) this.logger.log('warn', warning);
    const now = new Date();
    const view = scheduleView(created.cronJob, now);
    if (flags.output === 'json' || flags.output === 'yaml' || flags.output === 'table') {
      this.render(flags.output, [view], scheduleColumns(now), view);
      return;
    }
    const next = view.paused ? 'it is paused' : view.nextRuns[0] ? `first backup at ${isoInZone(view.nextRuns[0], view.timeZone)}` : 'it never runs';
    this.print(`schedule "${name}" created in namespace ${namespace} (storage location "${created.location.name}", image ${created.image}); ${next}\n`);
  }
}
