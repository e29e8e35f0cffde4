import * as Args from '@oclif/core/args';
import * as Flags from '@oclif/core/flags';
import { BackupCatalog } from '../../../backup-records/backup-catalog.js';
import { BadInputError, ExitCode, InterruptedError } from '../../../errors.js';
import { interruptOnSignals } from '../../interrupt-on-signals.js';
import { serverVersion } from '../../../kube/cluster.js';
import { resolveLocation, retentionMode } from '../../../location/resolve.js';
import { parseLocationUrl } from '../../../storage/location-url.js';
import { findBackup } from '../../../restore/backup-lookup.js';
import { compileLabelSelection } from '../../../restore/label-selection.js';
import { parseNamespaceMappings } from '../../../restore/namespace-mappings.js';
import { defaultRestoreName } from '../../../restore/restore-name.js';
import { noRestoreStatus, RestoreObject } from '../../../restore/restore-object.js';
import { formatPlanLine, type PlanEntry } from '../../../restore/restore-plan.js';
import type { RestoreRequest } from '../../../restore/restore-request.js';
import { createRestore } from '../../../restore/restore-service.js';
import { assertValidName } from '../../../storage/layout.js';
import { EXISTING_RESOURCE_POLICIES } from '../../../storage/restore-record.js';
import { BaseCommand } from '../../base-command.js';
import { filterFlags, parseFilterFlags, restorePageSizeFlag } from '../../filter-flags.js';
import { storageFlags } from './restore-storage-command.js';

/**
 * How long an interrupted restore may take to end (its record stored, its Restore object marked
 * Failed) before the process exits anyway. More than the longest pause of its waits (5 s between
 * checks for a restored CRD to be served), which end only at their next request.
 */
const signalGraceMs = 10_000;

export default class RestoreCreate extends BaseCommand {
  static override summary = 'Restore a backup into the cluster.';
  static override description =
    'Creates the objects of a backup in the current cluster: CRDs first (waited for until Established), then namespaces, storage, RBAC, configuration, services, pods and the rest, ' +
    'items of one type concurrently. Server-set fields are stripped, owner references point at the restored owners, and controller-owned objects are left to their controllers. ' +
    "The backup's artifacts are checked against their sha256 before anything is created. Nodes, events, leases and other cluster state are never restored.";
  static override usage = '[NAME] (--from-backup BACKUP | --from-schedule SCHEDULE) [filters] [--namespace-mappings src:dst,...] [--existing-resource-policy none|update] [--preserve-nodeports] [--include-owned-resources] [--allow-partially-failed] [--dry-run] [--storage-location NAME | --storage URL] [-o json|yaml]';
  static override examples = [
    'kubectl backup restore create --from-backup nightly',
    'kubectl backup restore create shop-copy --from-backup nightly --include-namespaces shop --namespace-mappings shop:shop-copy',
    'kubectl backup restore create --from-schedule daily --existing-resource-policy update',
    'kubectl backup restore create --from-backup nightly --dry-run',
  ];
  static override args = { name: Args.string({ description: 'restore name (default: BACKUP-YYYYMMDDhhmmss, UTC)', required: false }) };
  static override flags = {
    'from-backup': Flags.string({ description: 'the backup to restore' }),
    'from-schedule': Flags.string({ description: 'restore the newest Completed backup of this schedule' }),
    ...filterFlags,
    'client-page-size': restorePageSizeFlag,
    'namespace-mappings': Flags.string({ description: 'restore items of namespace src into dst: src:dst,... (dst gets the labels and annotations of src)', multiple: true }),
    'existing-resource-policy': Flags.option({ description: "what to do with objects that exist: none leaves them, update patches them to the backup (one that refuses the patch, such as a running Pod, keeps its content and gets a warning); either way an existing ServiceAccount gets the backup's Secret and image pull Secret references it lacks, as with Velero", options: EXISTING_RESOURCE_POLICIES, default: 'none' as const })(),
    'preserve-nodeports': Flags.boolean({ description: "keep Services' node ports" }),
    'include-owned-resources': Flags.boolean({ description: 'also restore objects whose controller is restored (pods of a ReplicaSet...)' }),
    'allow-partially-failed': Flags.boolean({ description: 'with --from-schedule, PartiallyFailed backups may be chosen too' }),
    'dry-run': Flags.boolean({ description: 'print what would be done, item by item, and change nothing' }),
    ...storageFlags,
    output: Flags.option({ char: 'o', description: 'print the result (or the plan) as json or yaml', options: ['json', 'yaml'] as const })(),
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(RestoreCreate);
    this.useFlags(flags);
    const fromBackup = flags['from-backup'];
    const fromSchedule = flags['from-schedule'];
    if (fromBackup !== undefined && fromSchedule !== undefined) throw new BadInputError('restore create takes --from-backup or --from-schedule, not both');
    if (fromBackup === undefined && fromSchedule === undefined) throw new BadInputError('restore create needs one of --from-backup BACKUP or --from-schedule SCHEDULE');
    if (flags['allow-partially-failed'] && fromSchedule === undefined) throw new BadInputError('--allow-partially-failed only applies to --from-schedule (--from-backup takes PartiallyFailed backups anyway)');
    if (args.name !== undefined) assertValidName('restore', args.name);
    if (fromBackup !== undefined) assertValidName('backup', fromBackup);
    const filters = parseFilterFlags(flags);
    compileLabelSelection(filters);
    const namespaceMappings = parseNamespaceMappings(flags['namespace-mappings']);
    if (flags.storage !== undefined && flags['storage-location'] !== undefined) throw new BadInputError('give --storage URL or --storage-location NAME, not both');
    if (flags.storage !== undefined) parseLocationUrl(flags.storage);

    this.prepareProgress();
    const { client, statusClient } = await this.connect();
    this.logger.log('debug', 'connected', { server: client.server });
    // Read while the backup is looked up: neither fails (an unknown version, no Restore objects).
    const versionRead = serverVersion(client).then(
      (v) => v.gitVersion,
      () => 'unknown',
    );
    const dryRun = flags['dry-run'];
    const storage = await resolveLocation({ storageUrl: flags.storage, storageLocation: flags['storage-location'] }, { client, namespace: this.toolNamespace, logger: this.logger });
    if (storage.source === 'embedded') process.stderr.write(`Using the default storage location ${storage.label}\n`);
    const statusSink = dryRun ? Promise.resolve(noRestoreStatus) : RestoreObject.forCluster(statusClient, this.toolNamespace, this.logger, storage.reference);
    const catalog = BackupCatalog.forLocation(storage, { client, namespace: this.toolNamespace, logger: this.logger });
    const backup = await findBackup(
      catalog,
      fromBackup !== undefined ? { backup: fromBackup } : { schedule: fromSchedule!, allowPartiallyFailed: flags['allow-partially-failed'] },
      storage.label,
    );
    this.logger.log('debug', 'backup found', { backup: backup.metadata.name, location: storage.label });
    const request: RestoreRequest = {
      name: args.name ?? defaultRestoreName(backup.metadata.name, new Date()),
      backupName: backup.metadata.name,
      ...(fromSchedule !== undefined ? { scheduleName: fromSchedule } : {}),
      filters,
      namespaceMappings,
      existingResourcePolicy: flags['existing-resource-policy'],
      preserveNodePorts: flags['preserve-nodeports'],
      includeOwnedResources: flags['include-owned-resources'],
      dryRun,
    };
    assertValidName('restore', request.name);
    const [clusterVersion, status] = await Promise.all([versionRead, statusSink]);
    const progress = this.progressReporter('restore');
    const plan: PlanEntry[] = [];
    const structured = flags.output !== undefined;
    // Node's default on SIGINT/SIGTERM ends the process at once, leaving the Restore object
    // InProgress for ever: the restore is stopped instead, and marks it Failed.
    const interrupt = interruptOnSignals((signal) => new InterruptedError(`interrupted by ${signal}`), signalGraceMs);
    let result;
    try {
      result = await createRestore(request, backup, {
        client,
        clusterVersion,
        store: storage.store,
        locationLabel: storage.label,
        recordsWritable: storage.accessMode !== 'ReadOnly',
        ...(storage.objectLock ? { objectLock: retentionMode(storage.objectLock) } : {}),
        logger: this.logger,
        status,
        progress,
        signal: interrupt.signal,
        ...(dryRun ? { onPlan: (entry: PlanEntry) => (structured ? plan.push(entry) : this.print(`${formatPlanLine(entry)}\n`)) } : {}),
      });
    } finally {
      interrupt.dispose();
      progress.finish();
    }
    const { outcome, record } = result;
    if (flags.output !== undefined) {
      this.printData(flags.output, dryRun ? { restore: request.name, backup: backup.metadata.name, plan, counts: outcome.counts } : record);
    } else {
      const c = outcome.counts;
      const seconds = ((outcome.completionTime.getTime() - outcome.startTime.getTime()) / 1000).toFixed(1);
      if (dryRun) {
        this.print(`Dry run of restore "${request.name}" from backup "${backup.metadata.name}": ${c.created} to create, ${c.updated} to update, ${c.skipped} to skip; nothing was changed.\n`);
      } else {
        this.print(
          `Restore "${request.name}" from backup "${backup.metadata.name}": ${outcome.phase} in ${seconds}s: ${c.created} created, ${c.updated} updated, ${c.skipped} skipped, ${c.failed} failed; ${outcome.warningCount} warnings, ${outcome.errorCount} errors.\n`,
        );
        if (result.stored && outcome.warningCount + outcome.errorCount > 0) this.print(`See: kubectl backup restore describe ${request.name}\n`);
      }
    }
    if (outcome.phase === 'Failed') {
      process.stderr.write(`Error: restore "${request.name}" failed: ${outcome.failureReason ?? 'unknown reason'}\n`);
      this.setExitCode(ExitCode.Failed);
    } else if (outcome.phase === 'PartiallyFailed') {
      this.setExitCode(ExitCode.Partial);
    }
  }
}
