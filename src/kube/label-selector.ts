import { BadInputError } from '../errors.js';

/**
 * Kubernetes label selectors evaluated here rather than by an API server: a restore selects
 * among the items of an archive. The grammar is the API server's (labels.Parse): requirements
 * joined by commas, each `k`, `!k`, `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`,
 * `k>n`, `k<n`.
 */
export type LabelSelector = (labels: Readonly<Record<string, string>> | undefined) => boolean;

type Requirement = (labels: Readonly<Record<string, string>>) => boolean;

const keyPattern = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const valuePattern = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

export function parseLabelSelector(text: string, flag = 'selector'): LabelSelector {
  const fail = (why: string) => new BadInputError(`invalid --${flag} "${text}": ${why}`);
  const requirements = splitRequirements(text, fail).map((part) => parseRequirement(part, fail));
  return (labels) => requirements.every((r) => r(labels ?? {}));
}

/** Splits on commas that are not inside `( )`. */
function splitRequirements(text: string, fail: (why: string) => Error): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (depth < 0 || depth > 1) throw fail('unbalanced parentheses');
    if (c === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += c;
  }
  if (depth !== 0) throw fail('unbalanced parentheses');
  parts.push(current.trim());
  if (parts.some((p) => p === '')) throw fail('an empty requirement');
  return parts;
}

function parseRequirement(part: string, fail: (why: string) => Error): Requirement {
  const checkKey = (key: string) => {
    if (!keyPattern.test(key) || key.length > 316) throw fail(`"${key}" is not a label key`);
    return key;
  };
  const checkValue = (value: string) => {
    if (value.length > 63 || !valuePattern.test(value)) throw fail(`"${value}" is not a label value`);
    return value;
  };
  let m = /^!\s*(\S+)$/.exec(part);
  if (m) {
    const key = checkKey(m[1]!);
    return (labels) => !Object.hasOwn(labels, key);
  }
  m = /^(\S+?)\s+(in|notin)\s*\((.*)\)$/.exec(part);
  if (m) {
    const key = checkKey(m[1]!);
    const values = new Set(m[3]!.split(',').map((v) => checkValue(v.trim())));
    if (m[2] === 'in') return (labels) => Object.hasOwn(labels, key) && values.has(labels[key]!);
    return (labels) => !Object.hasOwn(labels, key) || !values.has(labels[key]!);
  }
  m = /^([^\s=!<>]+)\s*(==|=|!=|<|>)\s*(\S*)$/.exec(part);
  if (m) {
    const key = checkKey(m[1]!);
    const op = m[2]!;
    if (op === '<' || op === '>') {
      if (!/^-?\d+$/.test(m[3]!)) throw fail(`"${m[3]}" must be an integer for ${op}`);
      const bound = Number(m[3]);
      return (labels) => {
        const value = labels[key];
        if (value === undefined || !/^-?\d+$/.test(value)) return false;
        return op === '<' ? Number(value) < bound : Number(value) > bound;
      };
    }
    const value = checkValue(m[3]!);
    if (op === '!=') return (labels) => labels[key] !== value;
    return (labels) => labels[key] === value;
  }
  if (/^\S+$/.test(part)) {
    const key = checkKey(part);
    return (labels) => Object.hasOwn(labels, key);
  }
  throw fail(`cannot parse "${part}"`);
}
