import type { ResultGroup } from '../storage/results-file.js';
import { printableLine } from './printable.js';

/**
 * Warnings or errors of a backup or restore, grouped as the results artifact keeps them, one
 * message a line. Messages come from storage: each is kept on its own line (printableLine), so
 * that a message cannot pass for other lines of the description.
 */
export function resultLines(group: ResultGroup | undefined): string[] {
  if (!group) return [];
  const lines = ['  Cluster:' + (group.cluster.length === 0 ? '  <none>' : '')];
  for (const message of group.cluster) lines.push(`    ${printableLine(message)}`);
  const namespaces = Object.entries(group.namespaces).sort(([a], [b]) => a.localeCompare(b));
  lines.push('  Namespaces:' + (namespaces.length === 0 ? '  <none>' : ''));
  for (const [namespace, messages] of namespaces) {
    lines.push(`    ${printableLine(namespace)}:`);
    for (const message of messages) lines.push(`      ${printableLine(message)}`);
  }
  if (group.omitted) lines.push(`  ... and ${group.omitted} more (not shown)`);
  return lines;
}
