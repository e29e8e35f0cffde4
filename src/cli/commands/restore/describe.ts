import { Args } from '@oclif/core';
import { readRestoreResults } from '../../../restore/restore-artifacts.js';
import type { ResultGroup } from '../../../backup-records/backup-artifacts.js';
import type { RestoreRecord } from '../../../storage/restore-record.js';
import { outputFlag } from '../../base-command.js';
import { renderTable } from '../../output.js';
import { printable } from '../../../backup-records/printable.js';
import { resultLines } from '../../../backup-records/result-lines.js';
import { RestoreStorageCommand, storageFlags } from './restore-storage-command.js';

const list = (values: readonly string[]) => (values.length === 0 ? '<none>' : values.join(', '));


export function describeRestore(record: RestoreRecord, results: { warnings: ResultGroup; errors: ResultGroup } | undefined): string {
  const { spec, status } = record;
  const seconds = (Date.parse(status.completionTimestamp) - Date.parse(status.startTimestamp)) / 1000;
  const mappings = Object.entries(spec.namespaceMapping).map(([src, dst]) => `${src}:${dst}`);
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
    `Duration:     ${seconds.toFixed(1)}s`,
    `Cluster:      ${status.cluster.server} (${status.cluster.version})`,
    '',
    'Namespaces:',
    `  Included:   ${list(spec.includedNamespaces)}`,
    `  Excluded:   ${list(spec.excludedNamespaces)}`,
    'Resources:',
    `  Included:   ${list(spec.includedResources)}`,
    `  Excluded:   ${list(spec.excludedResources)}`,
    `  Cluster-scoped: ${spec.includeClusterResources === null ? 'auto' : String(spec.includeClusterResources)}`,
    `Label selector:           ${spec.labelSelector ?? (spec.orLabelSelectors.length > 0 ? spec.orLabelSelectors.join(' or ') : '<none>')}`,
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
  static override args = { name: Args.string({ description: 'restore name', required: true }) };
  static override examples = ['kubectl backup restore describe nightly-20240101030000'];
  static override flags = { ...storageFlags, output: outputFlag };

  async run(): Promise<void> {
    const { flags, args } = await this.parse(RestoreDescribe);
    this.useFlags(flags);
    const { restores, store } = await this.restoreStorage(flags);
    const record = await restores.require(args.name);
    const results = await readRestoreResults(store, record);
    if (flags.output === 'json' || flags.output === 'yaml') this.printData(flags.output, { ...record, results: results ?? null });
    else this.print(describeRestore(record, results));
  }
}
