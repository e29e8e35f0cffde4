import { BadInputError } from '../errors.js';

/** `--namespace-mappings src:dst,...`: source namespace → target namespace. */
export type NamespaceMappings = ReadonlyMap<string, string>;

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function labelProblem(name: string): string | undefined {
  if (name.length > 63) return `it is ${name.length} characters long (at most 63)`;
  if (!label.test(name)) return "it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";
  return undefined;
}

/**
 * Parses `src:dst` pairs, comma-separated, from one or more flag values. Both sides must be
 * namespace names (DNS-1123 labels); a source given twice is ambiguous and two sources into
 * one target would merge namespaces silently, so both are errors.
 */
export function parseNamespaceMappings(values: readonly string[] | string | undefined): NamespaceMappings {
  const all = values === undefined ? [] : typeof values === 'string' ? [values] : values;
  const pairs = all.flatMap((v) => v.split(',')).map((p) => p.trim()).filter((p) => p !== '');
  const mappings = new Map<string, string>();
  const targets = new Map<string, string>();
  for (const pair of pairs) {
    const parts = pair.split(':').map((p) => p.trim());
    if (parts.length !== 2 || !parts[0] || !parts[1]) throw new BadInputError(`--namespace-mappings: "${pair}" is not src:dst`);
    const [src, dst] = parts as [string, string];
    for (const name of [src, dst]) {
      const problem = labelProblem(name);
      if (problem) throw new BadInputError(`--namespace-mappings: "${name}" in "${pair}" is not a namespace name: ${problem}`);
    }
    if (mappings.has(src)) throw new BadInputError(`--namespace-mappings: namespace "${src}" is mapped twice`);
    const other = targets.get(dst);
    if (other !== undefined) throw new BadInputError(`--namespace-mappings: "${other}" and "${src}" are both mapped to "${dst}"`);
    mappings.set(src, dst);
    targets.set(dst, src);
  }
  return mappings;
}

export function mapNamespace(mappings: NamespaceMappings, namespace: string): string {
  return mappings.get(namespace) ?? namespace;
}
