import { formatGoDuration } from '../cli/go-duration.js';
import { formatAge } from '../cli/output.js';
import { displayableServer } from '../kube/displayable-server.js';
import type { BackupDescription } from './backup-description.js';
import { printable, printableLine } from './printable.js';
import { resultLines } from './result-lines.js';
import { formatSize } from './size-format.js';

/**
 * `describe` for people, laid out as `velero backup describe` is (label: value blocks), so a
 * Velero user finds each thing where they expect it.
 */
export function describeAsText(d: BackupDescription, now: Date = new Date()): string {
  const out: string[] = [];
  const spec = d.spec;
  out.push(...pairs([['Name', d.name], ['Labels', map(d.labels)], ['Annotations', map(d.annotations)]]));
  out.push('', `Phase:  ${d.phase}${d.source === 'cluster' ? '  (running or ended without a record; from its Backup object)' : ''}`);
  if (d.failureReason) out.push('', `Failure reason:  ${printable(d.failureReason)}`);
  out.push('', 'Namespaces:', ...indent(pairs([['Included', list(spec.includedNamespaces, '*')], ['Excluded', list(spec.excludedNamespaces)]])));
  out.push(
    '',
    'Resources:',
    ...indent(
      pairs([
        ['Included', list(spec.includedResources, '*')],
        ['Excluded', list(spec.excludedResources)],
        ['Cluster-scoped', clusterScoped(spec.includeClusterResources)],
      ]),
    ),
  );
  out.push('', ...pairs([['Label selector', str(spec.labelSelector)], ['Or label selector', list(spec.orLabelSelectors, '<none>', ' or ')]]));
  out.push('', ...pairs([['Ordered resources', ordered(spec.orderedResources)]]));
  out.push('', ...pairs([['Storage Location', str(spec.storageLocation)], ['TTL', str(spec.ttl)], ['Client page size', str(spec.clientPageSize)]]));
  out.push(
    '',
    ...pairs([
      ['Started', d.startTimestamp ?? '<n/a>'],
      ['Completed', d.completionTimestamp ?? '<n/a>'],
      ['Duration', d.durationSeconds !== undefined ? formatGoDuration(Math.round(d.durationSeconds * 1000)) : '<n/a>'],
    ]),
  );
  out.push('', `Expiration:  ${expiry(d.expiration, now)}`);
  if (d.cluster) {
    const cluster = `${printableLine(displayableServer(d.cluster.server))} (${printableLine(d.cluster.version) || 'version unknown'})`;
    out.push('', ...pairs([['Cluster', cluster], ['Format version', printableLine(d.formatVersion ?? '')]]));
  }
  out.push('', ...pairs([['Total items to be backed up', String(d.progress.totalItems)], ['Items backed up', String(d.progress.itemsBackedUp)]]));
  const resources = Object.entries(d.itemsByResource).sort(([a], [b]) => a.localeCompare(b));
  if (resources.length > 0) out.push('', 'Items by resource:', ...indent(pairs(resources.map(([resource, count]) => [printableLine(resource), String(count)]))));
  if (d.source === 'storage') out.push('', `Secrets:  ${d.secrets}${d.secrets > 0 ? ' (their data is never shown)' : ''}`);
  // A loop, not a spread: push() takes its arguments on the stack, and there may be thousands.
  out.push('', `Warnings:  ${d.warnings.count}`);
  for (const line of resultLines(d.warnings.messages)) out.push(line);
  out.push('', `Errors:  ${d.errors.count}`);
  for (const line of resultLines(d.errors.messages)) out.push(line);
  if (d.resultsProblem) out.push(`  (messages cannot be shown: ${d.resultsProblem})`);
  if (d.artifacts.length > 0) {
    out.push('', 'Artifacts:');
    const rows = d.artifacts.map((a) => [printableLine(a.key), formatSize(a.size), printableLine(a.sha256)]);
    const widths = [0, 1].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const row of rows) out.push(`  ${row[0]!.padEnd(widths[0]!)}   ${row[1]!.padStart(widths[1]!)}   sha256:${row[2]}`);
  }
  // Each field above makes its own text printable; this pass keeps any field added later from
  // reaching the terminal with control characters of a hostile record.
  return printable(`${out.join('\n')}\n`);
}


/**
 * `Label:  value` lines with values aligned; a multi-line value continues under itself.
 * restore describe lays out its filter blocks with it too, so that both read alike.
 */
export function pairs(entries: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...entries.map(([label]) => label.length + 1));
  const lines: string[] = [];
  for (const [label, value] of entries) {
    const [first, ...rest] = value.split('\n');
    lines.push(`${`${label}:`.padEnd(width)}  ${first}`);
    for (const line of rest) lines.push(`${' '.repeat(width)}  ${line}`);
  }
  return lines;
}

export function indent(lines: string[]): string[] {
  return lines.map((line) => `  ${line}`);
}

/** How a spec's includeClusterResources reads: true, false, or unset (decided by the namespace filter). */
export function clusterScoped(value: unknown): string {
  return value === true ? 'included' : value === false ? 'excluded' : 'auto';
}

function map(values: Readonly<Record<string, string>>): string {
  const entries = Object.entries(values).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => printableLine(`${k}=${v}`)).join('\n');
}

function list(value: unknown, empty = '<none>', separator = ', '): string {
  const items = Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return items.length === 0 ? empty : printable(items.join(separator));
}

function str(value: unknown): string {
  return value === null || value === undefined || value === '' ? '<none>' : printable(String(value));
}

function ordered(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '<none>';
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length === 0 ? '<none>' : entries.map(([resource, items]) => printable(`${resource}: ${String(items)}`)).join('\n');
}

function expiry(expiration: string | null | undefined, now: Date): string {
  if (expiration === null) return '<never>';
  if (expiration === undefined) return '<n/a>';
  const when = new Date(expiration);
  return when.getTime() > now.getTime() ? `${expiration} (in ${formatAge(now, when)})` : `${expiration} (expired ${formatAge(when, now)} ago)`;
}
