import { BadInputError } from '../errors.js';
import { nameProblem } from '../storage/layout.js';
import { splitList } from './list-flag.js';

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** Why a label or annotation key is not a Kubernetes qualified name (`[prefix/]name`), or undefined. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && nameProblem(prefix) !== undefined) {
    return 'its prefix must be a DNS-1123 subdomain';
  }
  if (name.length === 0 || name.length > 63 || !qualifiedNamePart.test(name)) {
    return "its name must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character";
  }
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63 || !qualifiedNamePart.test(value)) {
    return "a label value must be at most 63 alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character";
  }
  return undefined;
}

/**
 * `--labels`/`--annotations`: `k=v` pairs, comma-separated, flag repeatable. The value is
 * everything after the first `=`. Labels must be valid Kubernetes labels because they end up
 * on the `Backup` object; annotation values are free text.
 */
export function parseKeyValueFlag(flag: 'labels' | 'annotations', values: readonly string[] | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of splitList(values)) {
    const eq = pair.indexOf('=');
    if (eq < 0) throw new BadInputError(`--${flag}: "${pair}" is not key=value`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const keyProblem = qualifiedNameProblem(key);
    if (keyProblem) throw new BadInputError(`--${flag}: invalid key "${key}": ${keyProblem}`);
    if (flag === 'labels') {
      const valueProblem = labelValueProblem(value);
      if (valueProblem) throw new BadInputError(`--${flag}: invalid value "${value}" of ${key}: ${valueProblem}`);
    }
    if (Object.hasOwn(result, key)) throw new BadInputError(`--${flag}: ${key} is given twice`);
    result[key] = value;
  }
  return result;
}
