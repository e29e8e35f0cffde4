import { isObject, type JsonValue } from './json.js';

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'all' }
  | { kind: 'filter'; field: string[]; value: string };

function parse(expression: string): Step[] {
  let src = expression.trim();
  if (src.startsWith('{') && src.endsWith('}')) src = src.slice(1, -1);
  if (src.startsWith('$')) src = src.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '.') {
      i++;
      let name = '';
      while (i < src.length && src[i] !== '.' && src[i] !== '[') name += src[i++];
      if (name) steps.push({ kind: 'field', name });
    } else if (c === '[') {
      const end = src.indexOf(']', i);
      if (end < 0) break;
      const inner = src.slice(i + 1, end).trim();
      i = end + 1;
      if (inner === '*') steps.push({ kind: 'all' });
      else if (/^\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^['"].*['"]$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else {
        const m = /^\?\(@\.([\w.]+)\s*==\s*["']?([^"']*)["']?\)$/.exec(inner);
        if (m) steps.push({ kind: 'filter', field: (m[1] as string).split('.'), value: m[2] as string });
      }
    } else {
      i++;
    }
  }
  return steps;
}

/** Evaluates the JSONPath subset printer columns use; returns every match. */
export function evaluateJsonPath(root: JsonValue, expression: string): JsonValue[] {
  let current: JsonValue[] = [root];
  for (const step of parse(expression)) {
    const next: JsonValue[] = [];
    for (const value of current) {
      if (step.kind === 'field' && isObject(value) && value[step.name] !== undefined) next.push(value[step.name] as JsonValue);
      else if (step.kind === 'index' && Array.isArray(value) && value[step.index] !== undefined) next.push(value[step.index] as JsonValue);
      else if (step.kind === 'all' && Array.isArray(value)) next.push(...value);
      else if (step.kind === 'filter' && Array.isArray(value)) {
        for (const item of value) {
          let probe: JsonValue | undefined = item;
          for (const f of step.field) probe = isObject(probe) ? probe[f] : undefined;
          if (probe !== undefined && String(probe) === step.value) next.push(item);
        }
      }
    }
    current = next;
  }
  return current;
}
