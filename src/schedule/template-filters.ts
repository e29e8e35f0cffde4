import type { BackupFilters } from '../backup/backup-request.js';
import type { FilterFlagValues } from '../cli/filter-flags.js';
import type { BackupTemplate } from './backup-template.js';

export type TemplateFilters = Pick<
  BackupTemplate,
  | 'includedNamespaces'
  | 'excludedNamespaces'
  | 'includedResources'
  | 'excludedResources'
  | 'includeClusterResources'
  | 'labelSelector'
  | 'orLabelSelectors'
  | 'orderedResources'
>;

/** The filters as the template (and the backup record) write them: Velero's field names. */
export function templateFilters(filters: BackupFilters): TemplateFilters {
  return {
    includedNamespaces: [...filters.includeNamespaces],
    excludedNamespaces: [...filters.excludeNamespaces],
    includedResources: [...filters.includeResources],
    excludedResources: [...filters.excludeResources],
    includeClusterResources: filters.includeClusterResources ?? null,
    labelSelector: filters.labelSelector ?? null,
    orLabelSelectors: [...filters.orSelectors],
    orderedResources: Object.fromEntries(Object.entries(filters.orderedResources).map(([resource, items]) => [resource, items.join(',')])),
  };
}

/**
 * The template written back as the flags it came from, so that a backup taken from a schedule
 * is checked by exactly the parsers `create` uses (the annotation can be edited by hand).
 */
export function templateAsFlags(template: TemplateFilters): FilterFlagValues {
  const ordered = Object.entries(template.orderedResources);
  return {
    ...(template.includedNamespaces.length ? { 'include-namespaces': template.includedNamespaces } : {}),
    ...(template.excludedNamespaces.length ? { 'exclude-namespaces': template.excludedNamespaces } : {}),
    ...(template.includedResources.length ? { 'include-resources': template.includedResources } : {}),
    ...(template.excludedResources.length ? { 'exclude-resources': template.excludedResources } : {}),
    ...(template.includeClusterResources !== null ? { 'include-cluster-resources': String(template.includeClusterResources) } : {}),
    ...(template.labelSelector !== null ? { selector: template.labelSelector } : {}),
    ...(template.orLabelSelectors.length ? { 'or-selector': template.orLabelSelectors.join(' or ') } : {}),
    ...(ordered.length ? { 'ordered-resources': ordered.map(([resource, items]) => `${resource}=${items}`).join(';') } : {}),
  };
}
