import { createHash } from 'node:crypto';
import type { NameRule } from './name-validation.js';

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** A subresource as discovery shows it (`pods/status`, `deployments/scale`, ...). */
export interface SubresourceDef {
  name: string;
  kind: string;
  /** Set when the subresource answers with a kind of another group (e.g. autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  verbs: string[];
}

/** A column of the Table a resource is printed as (`kubectl get`). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  priority?: number;
  /** CRD columns: a simple JSONPath; built-in columns use `value` instead. */
  jsonPath?: string;
  value?: (obj: Record<string, unknown>) => string | number | boolean | null;
}

export interface ScaleDef {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

export interface VersionDef {
  name: string;
  subresources: SubresourceDef[];
  /** Custom resources: the version's additionalPrinterColumns (Name is always first). */
  columns?: PrinterColumn[];
  scale?: ScaleDef;
}

/** One served resource: the single place its behaviour is described. */
export interface ResourceDef {
  group: string;
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  /** Served versions, highest priority (preferred) first. */
  versions: VersionDef[];
  storageVersion: string;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  builtIn: boolean;
  nameRule: NameRule;
  /** Whether metadata.generation is kept (set to 1, bumped on spec changes). */
  hasGeneration: boolean;
  /** Field selectors beyond metadata.name/metadata.namespace: selector label -> object path, `|default` for absent values. */
  fieldSelectors: Record<string, string>;
  /** Where the objects live: two resources may share it (core and events.k8s.io events). */
  storage: string;
  /** Whether DELETE answers with the deleted object rather than a Success Status. */
  returnDeletedObject: boolean;
  /** What DELETE does to dependents when the client says nothing. */
  defaultPropagation: 'Background' | 'Orphan';
  allowCreateOnUpdate: boolean;
  /** Paths that may not change once set (e.g. spec.selector of apps/v1 workloads). */
  immutableFields: string[];
  /** Finalizers the server adds on create and its controllers remove once deletion starts. */
  protectionFinalizers: string[];
  /** Finalizers the server adds when an object is deleted, not when it is made (a CRD's, so that its custom resources go first). */
  deletionFinalizers: string[];
  storageVersionHash: string;
  /** Served but left out of discovery (a CRD that is not Established yet). */
  hidden?: boolean;
  /** Create-only review resources (access reviews, whoami): answered, never stored. */
  review?: boolean;
}

export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

export function storageKey(group: string, plural: string): string {
  return `${group}/${plural}`;
}

export function storageVersionHash(group: string, version: string, kind: string): string {
  const digest = createHash('sha256').update(`${group}/${version}/${kind}`).digest();
  return digest.subarray(0, 8).toString('base64');
}

export function versionDef(def: ResourceDef, version: string): VersionDef | undefined {
  return def.versions.find((v) => v.name === version);
}

export function hasSubresource(def: ResourceDef, version: string, name: string): boolean {
  return versionDef(def, version)?.subresources.some((s) => s.name === name) ?? false;
}
