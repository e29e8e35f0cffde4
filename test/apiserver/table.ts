import { AGE_COLUMN, BUILTIN_COLUMNS, CRD_COLUMNS, FULL_COLUMNS, NAME_COLUMN, WITHOUT_AGE } from './builtin-columns.js';
import { age } from './human-duration.js';
import type { JsonObject, JsonValue } from './json.js';
import type { KubeObject } from './object-meta.js';
import { storageKey, type PrinterColumn } from './resource-def.js';
import type { ResolvedResource } from './resource-registry.js';
import { evaluateJsonPath } from './simple-jsonpath.js';

export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** The columns `kubectl get` shows for a resource, as the server's table convertors define them. */
export function tableColumns(r: ResolvedResource): PrinterColumn[] {
  if (!r.def.builtIn) return [NAME_COLUMN, ...(r.version.columns ?? [])];
  if (r.def.storage === storageKey('apiextensions.k8s.io', 'customresourcedefinitions')) return [NAME_COLUMN, ...CRD_COLUMNS];
  if (r.def.group === '' && FULL_COLUMNS[r.def.storage]) return FULL_COLUMNS[r.def.storage] as PrinterColumn[];
  const specific = BUILTIN_COLUMNS[r.def.storage] ?? [];
  const withAge = specific.includes(AGE_COLUMN) || WITHOUT_AGE.has(r.def.storage) ? specific : [...specific, AGE_COLUMN];
  return [NAME_COLUMN, ...withAge];
}

function cell(column: PrinterColumn, obj: KubeObject): JsonValue {
  if (column.value) return column.value(obj);
  const results = evaluateJsonPath(obj as unknown as JsonValue, column.jsonPath ?? '');
  if (results.length === 0) return null;
  const value = results[0] as JsonValue;
  switch (column.type) {
    case 'date': return age(value);
    case 'integer':
    case 'number': return typeof value === 'number' ? value : null;
    case 'boolean': return typeof value === 'boolean' ? value : null;
    default: return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}

function rowObject(obj: KubeObject, include: IncludeObject): JsonObject | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return obj as unknown as JsonObject;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata as JsonObject };
}

/** A meta.k8s.io/v1 Table of the given objects. */
export function renderTable(r: ResolvedResource, objects: KubeObject[], listMeta: JsonObject, include: IncludeObject, withColumns = true): string {
  const columns = tableColumns(r);
  const table: JsonObject = {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    columnDefinitions: withColumns ? columns.map((c) => ({
      name: c.name, type: c.type === 'date' && c.value === undefined ? 'date' : c.type, format: c.format ?? '', description: c.description ?? '', priority: c.priority ?? 0,
    })) : [],
    rows: objects.map((o) => {
      const row: JsonObject = { cells: columns.map((c) => cell(c, o)) };
      const object = rowObject(o, include);
      if (object) row.object = object;
      return row;
    }),
  };
  return JSON.stringify(table);
}
