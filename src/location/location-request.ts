import { BadInputError } from '../errors.js';
import { dns1123LabelProblem } from '../install/namespace-name.js';
import { parseLocationUrl } from '../storage/location-url.js';
import type { S3Credentials } from './credentials-file.js';
import { accessModes, objectLockModes, type AccessMode, type ObjectLockMode } from './storage-location.js';

const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function requireLocationName(name: string, flag = 'storage location name'): string {
  const problem = dns1123LabelProblem(name);
  if (problem) throw new BadInputError(`invalid ${flag} "${name}": ${problem}`);
  return name;
}

export function requireSecretName(name: string): string {
  if (name.length > 253 || !subdomain.test(name)) throw new BadInputError(`invalid --credentials-secret "${name}": not a Secret name (a DNS-1123 subdomain)`);
  return name;
}

export function parseAccessMode(value: string): AccessMode {
  const mode = accessModes.find((m) => m.toLowerCase() === value.toLowerCase());
  if (!mode) throw new BadInputError(`invalid --access-mode "${value}": expected ${accessModes.join(' or ')}`);
  return mode;
}

export function parseObjectLock(value: string, allowNone = false): ObjectLockMode | null {
  const lower = value.toLowerCase();
  if (allowNone && lower === 'none') return null;
  const mode = objectLockModes.find((m) => m === lower);
  if (!mode) throw new BadInputError(`invalid --object-lock "${value}": expected ${objectLockModes.join(' or ')}${allowNone ? ' (or none to turn it off)' : ''}`);
  return mode;
}

/** Checks that settings fit the URL: object lock and credentials are S3 things. */
export function checkLocationSettings(url: string, settings: { objectLock?: ObjectLockMode | null; credentials?: S3Credentials; credentialsSecret?: string | null }): void {
  const scheme = parseLocationUrl(url).scheme;
  if (scheme !== 's3' && settings.objectLock) {
    throw new BadInputError(`--object-lock needs an S3 location with Object Lock enabled on its bucket; ${url.split('?')[0]} is a directory`);
  }
  if (scheme !== 's3' && (settings.credentials || settings.credentialsSecret)) {
    throw new BadInputError('credentials (--credentials-secret, --credentials-file) are for S3 locations; a file:// location takes none');
  }
}
