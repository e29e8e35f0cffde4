import { BadInputError } from '../errors.js';
import { isAlreadyExists } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { rewireScheduleCredentials, schedulesOfLocation } from '../schedule/location-schedules.js';
import type { S3Credentials } from './credentials-file.js';
import { credentialsSecretName, deleteCredentialsSecret, secretExists, writeCredentialsSecret } from './credentials-secret.js';
import { LocationClient } from './location-client.js';
import { checkLocationSettings } from './location-request.js';
import type { AccessMode, ObjectLockMode, StorageLocation } from './storage-location.js';

export interface CreateLocationRequest {
  name: string;
  /** Parsed and checked by the caller (parseLocationUrl), stored as given. */
  url: string;
  credentialsSecret?: string;
  /** From --credentials-file: stored in a Secret of ours, never anywhere else. */
  credentials?: S3Credentials;
  default: boolean;
  accessMode: AccessMode;
  objectLock?: ObjectLockMode;
}

/** Creates the location; with `default`, the previous default stops being one. */
export async function createLocation(client: KubeClient, namespace: string, request: CreateLocationRequest): Promise<StorageLocation> {
  if (request.credentials && request.credentialsSecret) throw new BadInputError('give --credentials-secret or --credentials-file, not both');
  checkLocationSettings(request.url, request);
  const locations = new LocationClient(client, namespace);
  await locations.requireAvailable('location create');
  if (await locations.get(request.name)) {
    throw new BadInputError(`storage location "${request.name}" already exists in namespace ${namespace}; change it with kubectl backup location set ${request.name}`);
  }
  if (request.credentialsSecret) await requireSecret(client, namespace, request.credentialsSecret);
  const credentialsSecret = request.credentials ? await storeCredentials(client, namespace, request.name, request.credentials) : request.credentialsSecret;
  const location: StorageLocation = {
    name: request.name,
    url: request.url,
    ...(credentialsSecret ? { credentialsSecret } : {}),
    default: request.default,
    accessMode: request.accessMode,
    ...(request.objectLock ? { objectLock: request.objectLock } : {}),
  };
  try {
    await locations.create(location);
  } catch (err) {
    if (request.credentials) await deleteCredentialsSecret(client, namespace, request.name).catch(() => undefined);
    if (isAlreadyExists(err)) throw new BadInputError(`storage location "${request.name}" already exists in namespace ${namespace}`);
    throw err;
  }
  if (request.default) await clearOtherDefaults(locations, request.name);
  return location;
}

export interface LocationChanges {
  default?: boolean;
  accessMode?: AccessMode;
  /** null turns object lock off. */
  objectLock?: ObjectLockMode | null;
  /** null removes the credentials. */
  credentialsSecret?: string | null;
  credentials?: S3Credentials;
}

export interface UpdatedLocation extends StorageLocation {
  /** Schedules of the location whose pods now read the new credentials Secret. */
  rewiredSchedules: string[];
}

/** `location set`: changes only what is given. */
export async function updateLocation(client: KubeClient, namespace: string, name: string, changes: LocationChanges): Promise<UpdatedLocation> {
  if (changes.credentials && changes.credentialsSecret !== undefined) throw new BadInputError('give --credentials-secret or --credentials-file, not both');
  const locations = new LocationClient(client, namespace);
  await locations.requireAvailable('location set');
  const current = await locations.require(name);
  checkLocationSettings(current.url, changes);
  if (changes.credentialsSecret) await requireSecret(client, namespace, changes.credentialsSecret);
  const spec: Record<string, unknown> = {};
  if (changes.default !== undefined) spec.default = changes.default;
  if (changes.accessMode !== undefined) spec.accessMode = changes.accessMode;
  if (changes.objectLock !== undefined) spec.objectLock = changes.objectLock;
  if (changes.credentialsSecret !== undefined) spec.credentialsSecret = changes.credentialsSecret;
  if (changes.credentials) spec.credentialsSecret = await storeCredentials(client, namespace, name, changes.credentials);
  if (Object.keys(spec).length === 0) throw new BadInputError('location set: nothing to change; give --default, --access-mode, --object-lock, --credentials-secret or --credentials-file');
  await locations.patchSpec(name, spec);
  if (changes.default === true) await clearOtherDefaults(locations, name);
  const secret = spec.credentialsSecret;
  // The schedules' pods read the Secret named in their CronJob: moved to the new one before the
  // old one (if --credentials-file made it) is deleted.
  const rewired = secret !== undefined && secret !== current.credentialsSecret ? await rewireScheduleCredentials(client, namespace, name, typeof secret === 'string' ? secret : undefined) : [];
  if (changes.credentialsSecret !== undefined && current.credentialsSecret === credentialsSecretName(name)) {
    await deleteCredentialsSecret(client, namespace, name);
  }
  return { ...(await locations.require(name)), rewiredSchedules: rewired };
}

export interface DeletedLocation {
  /** Schedules whose backups go to the location: they fail until they get another. */
  usedBy: string[];
  secretDeleted: boolean;
}

/** Deletes the location object and the Secret `--credentials-file` made for it; never data. */
export async function deleteLocation(client: KubeClient, namespace: string, name: string): Promise<DeletedLocation> {
  const locations = new LocationClient(client, namespace);
  await locations.requireAvailable('location delete');
  await locations.require(name);
  const usedBy = (await schedulesOfLocation(client, namespace, name)).map((cj) => cj.metadata.name ?? '');
  await locations.delete(name);
  return { usedBy, secretDeleted: await deleteCredentialsSecret(client, namespace, name) };
}

/** A Secret we may not read passes: we cannot tell, and the pods using it will say. */
async function requireSecret(client: KubeClient, namespace: string, name: string): Promise<void> {
  if ((await secretExists(client, namespace, name)) === false) {
    throw new BadInputError(`Secret "${name}" not found in namespace ${namespace}; create it with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or use --credentials-file`);
  }
}

/** The Secret of `--credentials-file`, written. @returns its name */
async function storeCredentials(client: KubeClient, namespace: string, location: string, credentials: S3Credentials): Promise<string> {
  const name = credentialsSecretName(location);
  if (!(await writeCredentialsSecret(client, namespace, location, credentials))) {
    throw new BadInputError(`a Secret "${name}" that kubectl-backup did not make exists in namespace ${namespace}; delete it or use --credentials-secret`);
  }
  return name;
}

/** Only one default at a time: the newest one wins. */
async function clearOtherDefaults(locations: LocationClient, keep: string): Promise<void> {
  for (const other of await locations.list()) {
    if (other.default && other.name !== keep) await locations.patchSpec(other.name, { default: false });
  }
}
