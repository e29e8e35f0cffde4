import fs from 'node:fs';
import path from 'node:path';

/**
 * The files of a KUBECONFIG list that exist. client-go's loading rules skip the missing ones
 * (warning "Config not found" when all are) rather than failing; a file that exists and cannot
 * be read is an error. Kept apart from the connection code, which loads a large library.
 */
export function existingKubeconfigFiles(list: string): string[] {
  return list.split(path.delimiter).filter((file) => file && fs.existsSync(file));
}
