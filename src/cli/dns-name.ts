import { BadInputError } from '../errors.js';
import { nameProblem } from '../storage/layout.js';

/**
 * Backup and schedule names become Kubernetes object names and storage keys, so they must be
 * DNS-1123 subdomains (the storage layout's rule, said here in the words of the flag).
 */
export function requireDns1123Name(what: string, name: string): string {
  const problem = nameProblem(name);
  if (problem) throw new BadInputError(`invalid ${what} name "${name}": ${problem}`);
  return name;
}
