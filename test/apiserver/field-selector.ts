import { badRequest } from './api-error.js';
import type { ResourceDef } from './resource-def.js';
import type { StoredObject } from './stored-object.js';

interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

export type FieldMatcher = (object: StoredObject) => boolean;

/** Splits on unescaped separators; `\,` `\=` `\\` are escapes as in fields.ParseSelector. */
function splitTerms(source: string): string[] {
  const terms: string[] = [];
  let current = '';
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\' && i + 1 < source.length) {
      current += c + (source[i + 1] as string);
      i++;
    } else if (c === ',') {
      terms.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  terms.push(current);
  return terms.filter((t) => t !== '');
}

function unescape(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

function parseTerm(term: string): FieldRequirement {
  for (const [op, negate] of [['!=', true], ['==', false], ['=', false]] as const) {
    const i = findUnescaped(term, op);
    if (i >= 0) return { field: term.slice(0, i).trim(), negate, value: unescape(term.slice(i + op.length)) };
  }
  throw badRequest(`invalid selector: '${term}'; can't understand '${term}'`);
}

function findUnescaped(term: string, op: string): number {
  for (let i = 0; i < term.length; i++) {
    if (term[i] === '\\') { i++; continue; }
    if (term.startsWith(op, i)) return i;
  }
  return -1;
}

/**
 * Parses a field selector and checks each field is one the resource supports; an unknown field
 * is a 400 as on the real server.
 */
export function parseFieldSelector(source: string, def: ResourceDef): FieldMatcher | undefined {
  if (source.trim() === '') return undefined;
  const reqs = splitTerms(source).map(parseTerm);
  for (const r of reqs) {
    if (r.field === 'metadata.name' || r.field === 'metadata.namespace') continue;
    if (def.fieldSelectors[r.field] !== undefined) continue;
    if (!def.builtIn) {
      throw badRequest(`"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`);
    }
    throw badRequest(`field label not supported: ${r.field}`);
  }
  return (object) => reqs.every((r) => {
    const actual = r.field === 'metadata.name' ? object.name
      : r.field === 'metadata.namespace' ? object.namespace
        : (object.fields[r.field] ?? '');
    return r.negate ? actual !== r.value : actual === r.value;
  });
}
