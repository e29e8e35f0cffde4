import { printableLine } from '../backup-records/printable.js';

/** What a restore does with an item: the words `--dry-run` prints (cli.md). */
export type PlanAction = 'create' | 'update' | 'skip (exists)' | 'skip (owned)' | 'skip (never restored)' | 'skip (completed)';

export interface PlanEntry {
  action: PlanAction;
  resource: string;
  /** Target namespace (after --namespace-mappings); undefined for cluster-scoped items. */
  namespace: string | undefined;
  name: string;
  /** Why, for skips, or what would go wrong. */
  detail?: string;
}

/**
 * One plan line: fixed columns so that a long plan reads as a table while it streams. Names
 * come from the archive, which is untrusted: control characters and line breaks are made
 * harmless, so that an item cannot rewrite the terminal or pass for other lines.
 */
export function formatPlanLine(entry: PlanEntry): string {
  const item = entry.namespace === undefined ? entry.name : `${entry.namespace}/${entry.name}`;
  const line = `${entry.action.padEnd(22)} ${entry.resource.padEnd(40)} ${item}${entry.detail ? `  (${entry.detail})` : ''}`;
  return printableLine(line);
}
