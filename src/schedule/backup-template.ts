import { BadInputError } from '../errors.js';
import { isRecord } from '../kube/types.js';
import { apiGroup } from '../install/api-group.js';

/** The CronJob annotation that holds a schedule's backup spec: the single source of its template. */
export const templateAnnotation = `${apiGroup}/backup-template`;

/**
 * What every backup of a schedule is made with: the backup's spec as the record stores it
 * (Velero's field names), plus the labels and annotations each backup gets and whether its
 * `Backup` object is owned by the CronJob. Written as JSON into the CronJob's annotation.
 */
export interface BackupTemplate {
  includedNamespaces: string[];
  excludedNamespaces: string[];
  includedResources: string[];
  excludedResources: string[];
  /** null: cluster-scoped resources only when every namespace is included. */
  includeClusterResources: boolean | null;
  labelSelector: string | null;
  orLabelSelectors: string[];
  /** Resource → its items in order, as --ordered-resources writes them ("ns/a,ns/b"). */
  orderedResources: Record<string, string>;
  /** As given, e.g. "720h"; "0" never expires. */
  ttl: string;
  /** The BackupStorageLocation's name. */
  storageLocation: string;
  clientPageSize: number;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  useOwnerReferencesInBackup: boolean;
}

export function serializeTemplate(template: BackupTemplate): string {
  return JSON.stringify(template);
}

/**
 * Reads the annotation back. Anyone with edit rights on the CronJob can change it, so it is
 * checked field by field; values are checked again by the same parsers as the flags when a
 * backup is taken from it.
 */
export function parseTemplate(text: string | undefined, schedule: string): BackupTemplate {
  const fail = (why: string) =>
    new BadInputError(`schedule "${schedule}" has an invalid ${templateAnnotation} annotation: ${why}; recreate it with kubectl backup schedule create`);
  if (text === undefined) throw fail('it is missing');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail('it is not JSON');
  }
  if (!isRecord(json)) throw fail('it is not a JSON object');
  const strings = (field: string): string[] => {
    const value = json[field] ?? [];
    if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw fail(`${field} must be a list of strings`);
    return value as string[];
  };
  const map = (field: string): Record<string, string> => {
    const value = json[field] ?? {};
    if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) throw fail(`${field} must be a map of strings`);
    return value as Record<string, string>;
  };
  const nullable = <T>(field: string, type: 'string' | 'boolean'): T | null => {
    const value = json[field] ?? null;
    if (value !== null && typeof value !== type) throw fail(`${field} must be a ${type} or null`);
    return value as T | null;
  };
  const text1 = (field: string): string => {
    const value = json[field];
    if (typeof value !== 'string' || value === '') throw fail(`${field} must be a non-empty string`);
    return value;
  };
  const pageSize = json.clientPageSize ?? 500;
  if (typeof pageSize !== 'number' || !Number.isInteger(pageSize) || pageSize < 0) throw fail('clientPageSize must be a whole number, 0 or more');
  const owners = json.useOwnerReferencesInBackup ?? false;
  if (typeof owners !== 'boolean') throw fail('useOwnerReferencesInBackup must be true or false');
  return {
    includedNamespaces: strings('includedNamespaces'),
    excludedNamespaces: strings('excludedNamespaces'),
    includedResources: strings('includedResources'),
    excludedResources: strings('excludedResources'),
    includeClusterResources: nullable<boolean>('includeClusterResources', 'boolean'),
    labelSelector: nullable<string>('labelSelector', 'string'),
    orLabelSelectors: strings('orLabelSelectors'),
    orderedResources: map('orderedResources'),
    ttl: text1('ttl'),
    storageLocation: text1('storageLocation'),
    clientPageSize: pageSize,
    labels: map('labels'),
    annotations: map('annotations'),
    useOwnerReferencesInBackup: owners,
  };
}
