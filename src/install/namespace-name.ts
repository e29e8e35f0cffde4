import { BadInputError } from '../errors.js';

const label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `name` is not a DNS-1123 label (namespaces, label values that are names), or undefined. */
export function dns1123LabelProblem(name: string): string | undefined {
  if (name.length === 0) return 'it is empty';
  if (name.length > 63) return `it is ${name.length} characters long (at most 63)`;
  if (!label.test(name)) return "it must consist of lower case alphanumeric characters or '-', and start and end with an alphanumeric character";
  return undefined;
}

export function requireDns1123Label(what: string, name: string): string {
  const problem = dns1123LabelProblem(name);
  if (problem) throw new BadInputError(`invalid ${what} "${name}": ${problem}`);
  return name;
}
