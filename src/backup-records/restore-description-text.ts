import { formatGoDuration } from '../cli/go-duration.js';
import { renderTable } from '../cli/output.js';
import { displayableServer } from '../kube/displayable-server.js';
import type { ResultsFile } from '../storage/results-file.js';
import type { RestoreRecord } from '../storage/restore-record.js';
import { clusterScoped, indent, pairs } from './description-text.js';
import { printable, printableLine as line } from './printable.js';
import { resultLines } from './result-lines.js';

const list = (values: readonly string[]) => (values.length === 0 ? '<none>' : line(values.join(', ')));

/** `restore describe` for people: what the restore was asked, its counts per resource, its results and artifacts. */
export function describeRestore(record: RestoreRecord, results: ResultsFile | undefined): string {
  const { spec, status } = record;
  const ms = Date.parse(status.completionTimestamp) - Date.parse(status.startTimestamp);
  const mappings = Object.entries(spec.namespaceMapping).map(([src, dst]) => `${src}:${dst}`);
  const ordered = Object.entries(spec.orderedResources).map(([resource, items]) => `${resource}=${items}`);
  const counts = Object.entries(status.countsByResource).map(([resource, c]) => ({ resource, ...c }));
  const table = renderTable([...counts, { resource: 'total', ...status.counts }], [
    { header: 'Resource', value: (r) => line(r.resource) },
    { header: 'Created', value: (r) => r.created },
    { header: 'Updated', value: (r) => r.updated },
    { header: 'Skipped', value: (r) => r.skipped },
    { header: 'Failed', value: (r) => r.failed },
  ]);
  return [
    `Name:         ${line(record.metadata.name)}`,
    `Phase:        ${line(status.phase)}${status.failureReason ? ` (${line(status.failureReason)})` : ''}`,
    `Backup:       ${line(spec.backupName)}`,
    `Schedule:     ${line(spec.scheduleName ?? '<none>')}`,
    '',
    `Started:      ${line(status.startTimestamp)}`,
    `Completed:    ${line(status.completionTimestamp)}`,
    // As backup describe prints it: Go's Duration.String() (84ms, 1m30.5s).
    `Duration:     ${Number.isFinite(ms) && ms >= 0 ? formatGoDuration(ms) : '<n/a>'}`,
    `Cluster:      ${line(displayableServer(status.cluster.server))} (${line(status.cluster.version)})`,
    '',
    // The filter blocks laid out by backup describe's own helpers (description-text.ts); values are one line each.
    'Namespaces:',
    ...indent(pairs([['Included', list(spec.includedNamespaces)], ['Excluded', list(spec.excludedNamespaces)]])),
    'Resources:',
    ...indent(
      pairs([
        ['Included', list(spec.includedResources)],
        ['Excluded', list(spec.excludedResources)],
        ['Cluster-scoped', clusterScoped(spec.includeClusterResources)],
      ]),
    ),
    `Label selector:           ${line(spec.labelSelector ?? (spec.orLabelSelectors.length > 0 ? spec.orLabelSelectors.join(' or ') : '<none>'))}`,
    `Ordered resources:        ${ordered.length === 0 ? '<none>' : line(ordered.join(';'))}`,
    `Namespace mappings:       ${list(mappings)}`,
    `Existing resource policy: ${line(spec.existingResourcePolicy)}`,
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
    ...status.artifacts.map((a) => `  ${line(a.key)}  ${a.size} bytes  sha256:${line(a.sha256)}`),
  ]
    // Each field above keeps to its line; this pass covers what is added later.
    .map(printable)
    .join('\n') + '\n';
}
