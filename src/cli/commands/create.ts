import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BackupEngine } from '../../backup/backup-engine.js';
import type { BackupOutcome } from '../../backup/backup-outcome.js';
import { buildBackupSpec } from '../../backup/backup-record-builder.js';
import { defaultTtlMs, type BackupRequest } from '../../backup/backup-request.js';
import { LogCapture } from '../../backup/log-capture.js';
import { pendingStatusSink } from '../../backup/backup-status-sink.js';
import { BackupObjectSink } from '../../cluster-records/backup-object-sink.js';
import { BadInputError, ExitCode, InterruptedError } from '../../errors.js';
import { interruptOnSignals } from '../interrupt-on-signals.js';
import { resolveLocation, requireWritable, retentionFor } from '../../location/resolve.js';
import { TeeLogger, type Logger } from '../../log/logger.js';
import { parseLocationUrl } from '../../storage/location-url.js';
import { BaseCommand } from '../base-command.js';
import { requireDns1123Name } from '../dns-name.js';
import { filterFlags, pageSizeFlag, parseFilterFlags } from '../filter-flags.js';
import { formatGoDuration, parseNonNegativeDuration } from '../go-duration.js';
import { parseKeyValueFlag } from '../key-value-flag.js';
import { renderTable } from '../output.js';
import { collectAfterScheduledBackup } from '../../schedule/after-scheduled-backup.js';
import { rejectTemplateFlags, scheduledBackup, type ScheduledBackup } from '../../schedule/from-schedule.js';

export default class Create extends BaseCommand {
  static override summary = 'Back up the resources of the cluster.';
  static override description =
    'Lists every resource the filters select, page by page, and streams the objects into a gzip tar archive in the storage location, ' +
    'with a resource list, the results, the log, and the record written last. Items labelled kubectl-backup.io/exclude-from-backup=true ' +
    '(or velero.io/exclude-from-backup=true) are left out; CRDs of backed-up custom resources are added.';
  static override usage = ['NAME [filters] [--ttl 720h] [--storage-location NAME | --storage URL] [--labels k=v,...] [--annotations k=v,...] [--dry-run] [-o json|yaml]', '--from-schedule SCHEDULE'];
  static override examples = [
    'kubectl backup create nightly',
    'kubectl backup create shop --include-namespaces shop,shop-* --ttl 168h',
    "kubectl backup create web --or-selector 'app=web or tier=frontend' --storage s3://backups/prod?region=eu-west-1",
    "kubectl backup create ordered --ordered-resources 'pods=ns1/pod1,ns1/pod2;persistentvolumes=pv4,pv8'",
    'kubectl backup create preview --include-namespaces shop --dry-run',
  ];
  static override args = { name: Args.string({ description: 'backup name (a DNS-1123 subdomain); none with --from-schedule' }) };
  static override flags = {
    ...filterFlags,
    'client-page-size': pageSizeFlag,
    ttl: Flags.string({ description: 'how long the backup is kept: a duration such as 720h, 30m, 1h30m; 0 never expires', default: '720h' }),
    labels: Flags.string({ description: 'labels of the backup: k=v,... (repeatable)', multiple: true }),
    annotations: Flags.string({ description: 'annotations of the backup: k=v,... (repeatable)', multiple: true }),
    'storage-location': Flags.string({ description: 'name of a BackupStorageLocation in the tool namespace (default: the location marked default)', helpGroup: 'STORAGE' }),
    storage: Flags.string({ description: 'a storage URL instead of a named location: file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]', helpGroup: 'STORAGE' }),
    'from-schedule': Flags.string({ description: "take the backup the schedule takes, now: its template, named SCHEDULE-YYYYMMDDhhmmss (UTC); no NAME or filter with it" }),
    'dry-run': Flags.boolean({ description: 'list what would be backed up (items per resource) and write nothing' }),
    output: Flags.option({ char: 'o', description: 'print the record (or the dry run) as json or yaml', options: ['json', 'yaml'] as const })(),
  };

  private capture: LogCapture | undefined;
  private teed: Logger | undefined;

  /** Every line, the API client's retry notices included, also goes into the backup's log artifact. */
  protected override get logger(): Logger {
    if (!this.capture) return super.logger;
    this.teed ??= new TeeLogger([super.logger, this.capture]);
    return this.teed;
  }

  async run(): Promise<void> {
    const { flags, args, metadata } = await this.parse(Create);
    this.useFlags(flags);

    // --from-schedule: the schedule's template says what and where (schedules.md); it is read
    // from the CronJob, and checked as the flags are, before anything is written.
    let scheduled: ScheduledBackup | undefined;
    if (flags['from-schedule'] !== undefined) {
      rejectTemplateFlags(Object.keys(flags).filter((f) => !metadata.flags[f]?.setFromDefault), args.name);
      scheduled = await scheduledBackup((await this.connect()).client, this.toolNamespace, flags['from-schedule'], new Date());
    } else if (args.name === undefined) {
      throw new BadInputError('give the backup a NAME, or take a schedule\'s backup with --from-schedule SCHEDULE');
    }

    // Every flag is checked before the cluster or the storage is touched.
    const name = scheduled?.name ?? requireDns1123Name('backup', args.name ?? '');
    const filters = scheduled?.filters ?? parseFilterFlags(flags);
    const ttlMs = scheduled?.ttlMs ?? (flags.ttl === undefined ? defaultTtlMs : parseNonNegativeDuration('ttl', flags.ttl));
    const labels = scheduled?.labels ?? parseKeyValueFlag('labels', flags.labels);
    const annotations = scheduled?.annotations ?? parseKeyValueFlag('annotations', flags.annotations);
    if (flags.storage !== undefined && flags['storage-location'] !== undefined) throw new BadInputError('give --storage URL or --storage-location NAME, not both');
    if (flags.storage !== undefined) parseLocationUrl(flags.storage);
    const pageSize = scheduled?.pageSize ?? flags['client-page-size'];
    const request: BackupRequest = { name, filters, ttlMs, labels, annotations, pageSize, dryRun: flags['dry-run'] };

    this.prepareProgress();
    this.capture = new LogCapture();

    const { client } = await this.connect();
    const storageLocation = scheduled?.storageLocation ?? flags['storage-location'];
    const location = await resolveLocation({ storageUrl: flags.storage, storageLocation }, { client, namespace: this.toolNamespace, logger: this.logger });
    if (!request.dryRun) requireWritable(location, `backup "${name}"`);
    const retention = retentionFor(location, ttlMs === 0 ? null : new Date(Date.now() + ttlMs));
    if (location.source === 'embedded') {
      process.stderr.write(`No storage location given: ${request.dryRun ? 'would write' : 'writing'} to the default location ${location.url}\n`);
    }

    // The Backup object shows the run's status where the CRDs are installed; a dry run has none.
    // Whether they are is asked while the backup starts, not before.
    const status = request.dryRun
      ? undefined
      : pendingStatusSink(
          BackupObjectSink.forCluster(
            client,
            this.toolNamespace,
            { name, labels, annotations, spec: buildBackupSpec(request, location.reference), ...(scheduled?.ownerReferences.length ? { ownerReferences: scheduled.ownerReferences } : {}) },
            this.logger,
          ),
        );
    const progress = this.progressReporter('backup');
    const interrupt = interruptOnSignals((signal) => new InterruptedError(`backup "${name}" interrupted by ${signal}; nothing was committed`));
    let outcome: BackupOutcome;
    try {
      outcome = await new BackupEngine(request, {
        client,
        store: location.store,
        storageLocation: location.reference,
        logger: this.logger,
        logCapture: this.capture,
        progress,
        ...(status ? { status } : {}),
        ...(retention ? { objectLock: retention.mode } : {}),
        signal: interrupt.signal,
      }).run();
    } finally {
      interrupt.dispose();
      // The bar ends with the run, whatever ended it: one refused before its items (name taken,
      // discovery) must not leave its timer keeping the process alive on a terminal.
      progress.finish();
    }
    // Retention with nothing but CronJobs: a scheduled run deletes its location's expired backups.
    if (scheduled && !request.dryRun) await collectAfterScheduledBackup(location, client, this.toolNamespace, this.logger);

    if (flags.output) {
      this.render(flags.output, [], [], outcome.record ?? dryRunView(outcome));
    } else {
      this.print(summary(outcome, location.label, ttlMs));
    }
    if (outcome.phase === 'PartiallyFailed') this.setExitCode(ExitCode.Partial);
  }
}

function dryRunView(outcome: BackupOutcome): object {
  return {
    backup: outcome.name,
    dryRun: true,
    location: outcome.location,
    totalItems: outcome.totalItems,
    itemsByResource: outcome.itemsByResource,
    warnings: outcome.results.warnings,
    errors: outcome.results.errors,
  };
}

function summary(outcome: BackupOutcome, location: string, ttlMs: number): string {
  const seconds = (outcome.durationMs / 1000).toFixed(1);
  const lines: string[] = [];
  if (outcome.dryRun) {
    const rows = Object.entries(outcome.itemsByResource).map(([resource, items]) => ({ resource, items }));
    lines.push(`Dry run of backup "${outcome.name}": ${outcome.totalItems} items would be backed up to ${location}; nothing was written.`);
    if (rows.length > 0) lines.push(renderTable(rows, [{ header: 'resource', value: (r) => r.resource }, { header: 'items', value: (r) => r.items }]).trimEnd());
  } else {
    lines.push(`Backup "${outcome.name}" ${outcome.phase}: ${outcome.totalItems} items in ${seconds}s.`);
    lines.push(`Location: ${location}`);
    lines.push(`Expires: ${ttlMs === 0 ? 'never' : `${outcome.record?.status.expiration ?? ''} (ttl ${formatGoDuration(ttlMs)})`}`);
  }
  lines.push(`Warnings: ${outcome.warnings}, errors: ${outcome.errors}`);
  if (!outcome.dryRun && outcome.warnings + outcome.errors > 0) lines.push(`See: kubectl backup describe ${outcome.name}`);
  else if (outcome.dryRun) for (const message of flatten(outcome)) lines.push(`  ${message}`);
  return `${lines.join('\n')}\n`;
}

function flatten(outcome: BackupOutcome): string[] {
  const out: string[] = [];
  for (const [kind, group] of [['warning', outcome.results.warnings], ['error', outcome.results.errors]] as const) {
    for (const message of group.cluster) out.push(`${kind}: ${message}`);
    for (const [ns, messages] of Object.entries(group.namespaces)) for (const message of messages) out.push(`${kind}: ${ns}: ${message}`);
  }
  return out;
}
