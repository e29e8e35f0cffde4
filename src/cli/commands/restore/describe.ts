import { Args, Flags } from '@oclif/core';
import { writeWithDetails } from '../../../backup-records/details-writer.js';
import { displayableServer } from '../../../kube/displayable-server.js';
import { openRestoreResourceList, readRestoreResults } from '../../../restore/restore-artifacts.js';
import type { ResultsFile } from '../../../storage/results-file.js';
import type { RestoreRecord } from '../../../storage/restore-record.js';
import { outputFlag } from '../../base-command.js';
import { formatGoDuration } from '../../go-duration.js';
import { renderTable } from '../../output.js';
import { printable } from '../../../backup-records/printable.js';
import { resultLines } from '../../../backup-records/result-lines.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

const list = (values: readonly string[]) => (values.length === 0 ? '<none>' : values.join(', '));

export function describeRestore(record: RestoreRecord, results: ResultsFile | undefined): string {
  const { spec, status } = record;
  const ms = Date.parse(status.completionTimestamp) - Date.parse(status.startTimestamp);
  const mappings = Object.entries(spec.namespaceMapping).map(([src, dst]) => `${src}:${dst}`);
  const ordered = Object.entries(spec.orderedResources).map(([resource, items]) => `${resource}=${items}`);
  const counts = Object.entries(status.countsByResource).map(([resource, c]) => ({ resource, ...c }));
  const table = renderTable([...counts, { resource: 'total', ...status.counts }], [
    { header: 'Resource', value: (r) => r.resource },
    { header: 'Created', value: (r) => r.created },
    { header: 'Updated', value: (r) => r.updated },
    { header: 'Skipped', value: (r) => r.skipped },
    { header: 'Failed', value: (r) => r.failed },
  ]);
  return [
    `Name:         ${record.metadata.name}`,
    `Phase:        ${status.phase}${status.failureReason ? ` (${status.failureReason})` : ''}`,
    `Backup:       ${spec.backupName}`,
    `Schedule:     ${spec.scheduleName ?? '<none>'}`,
    '',
    `Started:      ${status.startTimestamp}`,
    `Completed:    ${status.completionTimestamp}`,
    // As backup describe prints it: Go's Duration.String() (84ms, 1m30.5s).
    `Duration:     ${Number.isFinite(ms) && ms >= 0 ? formatGoDuration(ms) : '<n/a>'}`,
    `Cluster:      ${displayableServer(status.cluster.server)} (${status.cluster.version})`,
    '',
    // The filter blocks as backup describe lays them out (description-text.ts).
    'Namespaces:',
    `  Included:  ${list(spec.includedNamespaces)}`,
    `  Excluded:  ${list(spec.excludedNamespaces)}`,
    'Resources:',
    `  Included:        ${list(spec.includedResources)}`,
    `  Excluded:        ${list(spec.excludedResources)}`,
    `  Cluster-scoped:  ${spec.includeClusterResources === true ? 'included' : spec.includeClusterResources === false ? 'excluded' : 'auto'}`,
    `Label selector:           ${spec.labelSelector ?? (spec.orLabelSelectors.length > 0 ? spec.orLabelSelectors.join(' or ') : '<none>')}`,
    `Ordered resources:        ${ordered.length === 0 ? '<none>' : ordered.join(';')}`,
    `Namespace mappings:       ${list(mappings)}`,
    `Existing resource policy: ${spec.existingResourcePolicy}`,
    `Preserve node ports:      ${spec.preserveNodePorts}`,
    `Include owned resources:  ${spec.includeOwnedResources}`,
    '',
    'Items:',
    table.trimEnd().split('\n').map((l) => `  ${l}`).join('\n'),
    '',
    `Warnings:  ${status.warnings}${results || status.warnings === 0 ? '' : ' (not readable)'}`,
    ...resultLines(results?.warnings),
    `Errors:  ${status.errors}${results || status.errors === 0 ? '' : ' (not readable)'}`,
    ...resultLines(results?.errors),
    '',
    'Artifacts:',
    ...status.artifacts.map((a) => `  ${a.key}  ${a.size} bytes  sha256:${a.sha256}`),
  ]
    .map(printable)
    .join('\n') + '\n';
}

export default class RestoreDescribe extends RestoreStorageCommand {
  static override summary = 'Show a restore: what it was asked, items per resource, warnings and errors.';
  static override description =
    'Shows what the restore was asked, its phase and times, items created, updated, skipped and failed per resource, its warnings and errors ' +
    '(from its results artifact, checked against the record) and its artifacts (resource list, results, log) with their sizes and sha256. ' +
    '--details lists every item with what became of it (created, updated, skipped or failed), streamed from the resource list artifact.';
  static override usage = 'NAME [--details] [-o table|json|yaml]';
  static override args = { name: Args.string({ description: 'restore name', required: true }) };
  static override examples = ['kubectl backup restore describe nightly-20240101030000', 'kubectl backup restore describe nightly-20240101030000 --details'];
  static override flags = {
    details: Flags.boolean({ description: 'list every item of the restore and its outcome' }),
    ...storageFlags,
    output: outputFlag,
  };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(RestoreDescribe);
    this.useFlags(flags);
    const { restores, store } = await this.restoreStorage(flags);
    const record = await restores.require(args.name);
    const results = await readRestoreResults(store, record);
    const format = flags.output ?? 'table';
    const data = { ...record, results: results ?? null };
    if (flags.details) {
      // Records of restores from before restores stored their list still describe.
      const list = (await openRestoreResourceList(store, record)) ?? { unavailable: 'not available: this restore was recorded without a resource list' };
      await writeWithDetails(process.stdout, format, format === 'table' ? describeRestore(record, results) : data, list);
    } else if (format === 'table') this.print(describeRestore(record, results));
    else this.printData(format, data);
  }
}
