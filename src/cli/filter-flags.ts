import * as Flags from '@oclif/core/flags';
import { defaultFilters, defaultPageSize, type BackupFilters } from '../backup/backup-request.js';
import { validateNamespacePattern } from '../backup/namespace-filter.js';
import { parseOrderedResources } from '../backup/ordered-resources.js';
import { BadInputError } from '../errors.js';
import { parseGoBool } from './implied-true-flags.js';
import { splitList } from './list-flag.js';
import { parseSelectors } from './selector-flags.js';

/**
 * The filter flags of cli.md, shared by `create`, `schedule create` and (same names)
 * `restore create`. Repeatable and comma-separated (LIST flags).
 */
export const filterFlags = {
  'include-namespaces': Flags.string({ description: 'namespaces to include: names or globs (*, ?, [abc]), comma-separated (default *)', multiple: true, helpGroup: 'FILTER' }),
  'exclude-namespaces': Flags.string({ description: 'namespaces to leave out: names or globs; wins over include', multiple: true, helpGroup: 'FILTER' }),
  'include-resources': Flags.string({ description: 'resources to include, by any name kubectl accepts (pods, po, deployments.apps...), comma-separated (default *)', multiple: true, helpGroup: 'FILTER' }),
  'exclude-resources': Flags.string({ description: 'resources to leave out; wins over include', multiple: true, helpGroup: 'FILTER' }),
  'include-cluster-resources': Flags.string({
    description: 'true (or the flag alone): all matching cluster-scoped resources; false: none; unset: only when all namespaces are included',
    helpValue: 'true|false',
    helpGroup: 'FILTER',
  }),
  selector: Flags.string({ char: 'l', description: 'label selector (key=value, key!=value, key in (a,b), key, !key)', helpGroup: 'FILTER' }),
  'or-selector': Flags.string({ description: 'items matching any of the selectors: "a=b or c=d" (not with -l)', helpGroup: 'FILTER' }),
  'ordered-resources': Flags.string({ description: "items that come first, per resource: 'pods=ns1/pod1,ns1/pod2;persistentvolumes=pv4,pv8'", helpGroup: 'FILTER' }),
};

/** `--client-page-size`: where objects are listed from a cluster (backups). */
export const pageSizeFlag = Flags.integer({ description: 'items per LIST page (pages of large items, over ~4 MiB, ask for fewer); 0 lists without pagination', default: defaultPageSize, min: 0, helpGroup: 'FILTER' });

/**
 * `restore create` takes the filter flags' names (cli.md) and so this one too, checked the same
 * way; a restore lists nothing from the cluster (it reads the archive and GETs single objects),
 * so there it has no effect.
 */
export const restorePageSizeFlag = Flags.integer({ description: 'as for create; a restore lists nothing from the cluster, so it has no effect', default: defaultPageSize, min: 0, helpGroup: 'FILTER' });

export interface FilterFlagValues {
  'include-namespaces'?: string[];
  'exclude-namespaces'?: string[];
  'include-resources'?: string[];
  'exclude-resources'?: string[];
  'include-cluster-resources'?: string;
  selector?: string;
  'or-selector'?: string;
  'ordered-resources'?: string;
}

/** Turns the flags into filters, or a BadInputError naming the first bad value. Pure. */
export function parseFilterFlags(flags: FilterFlagValues): BackupFilters {
  const includeNamespaces = splitList(flags['include-namespaces']).map((p) => validateNamespacePattern('include-namespaces', p));
  const excludeNamespaces = splitList(flags['exclude-namespaces']).map((p) => validateNamespacePattern('exclude-namespaces', p));
  const includeResources = splitList(flags['include-resources']).map((r) => validateResourceName('include-resources', r));
  const excludeResources = splitList(flags['exclude-resources']).map((r) => validateResourceName('exclude-resources', r));
  if (excludeResources.includes('*')) throw new BadInputError('--exclude-resources: "*" would leave nothing to back up or restore');
  const includeClusterResources = parseOptionalBool('include-cluster-resources', flags['include-cluster-resources']);
  const selectors = parseSelectors(flags.selector, flags['or-selector']);
  const orderedResources = flags['ordered-resources'] === undefined ? {} : parseOrderedResources(flags['ordered-resources']);
  return {
    includeNamespaces: includeNamespaces.length > 0 ? includeNamespaces : [...defaultFilters.includeNamespaces],
    excludeNamespaces,
    includeResources: includeResources.length > 0 ? includeResources : [...defaultFilters.includeResources],
    excludeResources,
    ...(includeClusterResources !== undefined ? { includeClusterResources } : {}),
    ...selectors,
    orderedResources,
  };
}

/**
 * An optional boolean that must stay distinguishable from "unset": true or false in any case,
 * or another spelling Go's ParseBool (and so Velero) takes (1, t, 0, f...).
 */
export function parseOptionalBool(flag: string, value: string | undefined): boolean | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const normalized = trimmed.toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  const go = parseGoBool(trimmed);
  if (go !== undefined) return go;
  throw new BadInputError(`--${flag}: expected true or false, got "${value}"`);
}

function validateResourceName(flag: string, name: string): string {
  if (name === '*') return name;
  if (!/^[A-Za-z0-9][-A-Za-z0-9.]*$/.test(name)) throw new BadInputError(`--${flag}: "${name}" is not a resource name (e.g. pods, deploy, statefulsets.apps)`);
  return name;
}
