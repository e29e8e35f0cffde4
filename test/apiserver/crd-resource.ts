import { asArray, asObject, asString, isObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import {
  ALL_VERBS, storageKey, storageVersionHash, type PrinterColumn, type ResourceDef, type SubresourceDef, type VersionDef,
} from './resource-def.js';
import { compareVersionPriority } from './version-priority.js';

const COLUMN_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'date']);

function stringList(value: unknown): string[] {
  return (asArray(value) ?? []).filter((v): v is string => typeof v === 'string');
}

function versionFrom(v: JsonObject, kind: string): VersionDef {
  const subresources: SubresourceDef[] = [];
  const sub = asObject(v.subresources);
  const scale = asObject(sub?.scale);
  if (scale) subresources.push({ name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] });
  if (sub?.status !== undefined) subresources.push({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
  const columns: PrinterColumn[] = [];
  for (const c of asArray(v.additionalPrinterColumns) ?? []) {
    if (!isObject(c)) continue;
    const type = asString(c.type) ?? 'string';
    columns.push({
      name: asString(c.name) ?? '',
      type: (COLUMN_TYPES.has(type) ? type : 'string') as PrinterColumn['type'],
      format: asString(c.format) ?? '',
      description: asString(c.description) ?? '',
      priority: typeof c.priority === 'number' ? c.priority : 0,
      jsonPath: asString(c.jsonPath) ?? '',
    });
  }
  return {
    name: asString(v.name) ?? '',
    subresources,
    columns: columns.length > 0 ? columns : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: '', format: '', priority: 0 }],
    scale: scale ? {
      specReplicasPath: asString(scale.specReplicasPath) ?? '.spec.replicas',
      statusReplicasPath: asString(scale.statusReplicasPath) ?? '.status.replicas',
      labelSelectorPath: asString(scale.labelSelectorPath),
    } : undefined,
  };
}

/** The resource a CustomResourceDefinition declares, shaped like a built-in entry. */
export function resourceFromCrd(crd: KubeObject, established: boolean): ResourceDef | undefined {
  const spec = asObject(crd.spec);
  const names = asObject(spec?.names);
  const group = asString(spec?.group);
  const plural = asString(names?.plural);
  const kind = asString(names?.kind);
  if (!spec || !names || !group || !plural || !kind) return undefined;
  const allVersions = (asArray(spec.versions) ?? []).filter(isObject);
  const served = allVersions.filter((v) => v.served !== false)
    .map((v) => versionFrom(v, kind))
    .sort((a, b) => compareVersionPriority(a.name, b.name));
  const storageVersion = asString(allVersions.find((v) => v.storage === true)?.name) ?? served[0]?.name ?? 'v1';
  const fieldSelectors: Record<string, string> = {};
  for (const v of allVersions) {
    for (const f of asArray(v.selectableFields) ?? []) {
      const path = isObject(f) ? asString(f.jsonPath) : undefined;
      if (path) fieldSelectors[path.replace(/^\./, '')] = `${path.replace(/^\./, '')}|`;
    }
  }
  return {
    group,
    plural,
    singular: asString(names.singular) ?? kind.toLowerCase(),
    kind,
    listKind: asString(names.listKind) ?? `${kind}List`,
    namespaced: spec.scope !== 'Cluster',
    versions: served,
    storageVersion,
    shortNames: stringList(names.shortNames),
    categories: stringList(names.categories),
    verbs: ALL_VERBS,
    builtIn: false,
    nameRule: 'dns1123-subdomain',
    hasGeneration: true,
    fieldSelectors,
    storage: storageKey(group, plural),
    returnDeletedObject: false,
    defaultPropagation: 'Background',
    allowCreateOnUpdate: false,
    immutableFields: [],
    protectionFinalizers: [],
    deletionFinalizers: [],
    storageVersionHash: storageVersionHash(group, storageVersion, kind),
    hidden: !established,
  };
}
