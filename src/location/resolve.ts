import { BadInputError } from '../errors.js';
import type { KubeClient } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import { FileObjectStore } from '../storage/file-object-store.js';
import { defaultLocationUrl, parseLocationUrl } from '../storage/location-url.js';
import type { ObjectStore, Retention, RetentionMode } from '../storage/object-store.js';
import { readCredentialsSecret } from './credentials-secret.js';
import { LocationClient } from './location-client.js';
import type { AccessMode, ObjectLockMode, StorageLocation } from './storage-location.js';

export type OpenStore = (url: string, env: NodeJS.ProcessEnv) => ObjectStore | Promise<ObjectStore>;

/** The S3 SDK is large (a fifth of a cluster command's start-up): it is loaded for s3:// locations only. */
const openLazily: OpenStore = async (url, env) => {
  const location = parseLocationUrl(url);
  if (location.scheme === 'file') return new FileObjectStore(location.path);
  return (await import('../storage/open-object-store.js')).openObjectStore(location, env);
};

/** Where a command reads and writes, once resolved (storage.md, "Locations"). */
export interface ResolvedLocation {
  /** How it was chosen: `--storage URL`, `--storage-location NAME`, the default location, or the embedded default. */
  source: 'url' | 'named' | 'default' | 'embedded';
  /** The BackupStorageLocation's name; undefined for a URL or the embedded default. */
  name?: string;
  url: string;
  /** What records store as the backup's location: the name, or the URL. */
  reference: string;
  /** For messages: `location "primary"` or the URL. */
  label: string;
  accessMode: AccessMode;
  objectLock?: ObjectLockMode;
  store: ObjectStore;
}

export interface LocationChoice {
  /** `--storage URL` */
  storageUrl?: string;
  /** `--storage-location NAME` */
  storageLocation?: string;
}

export interface ResolveOptions {
  /** Undefined when the command runs without a cluster (then only URLs and the embedded default exist). */
  client?: KubeClient;
  namespace: string;
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Opens a store; tests pass their own. */
  open?: OpenStore;
}

/**
 * `--storage URL` | `--storage-location NAME` | the default location | the embedded default
 * (file://$XDG_DATA_HOME/kubectl-backup) when there is no default or no CRDs.
 *
 * Credentials of a named location: in a pod the CronJob already put its Secret into the
 * environment; elsewhere the Secret is read (when the user may) and its values are given to the
 * store only, through an environment of its own. Without either, the AWS SDK's usual chain.
 */
export async function resolveLocation(choice: LocationChoice, options: ResolveOptions): Promise<ResolvedLocation> {
  if (choice.storageUrl !== undefined && choice.storageLocation !== undefined) {
    throw new BadInputError('give --storage URL or --storage-location NAME, not both');
  }
  const env = options.env ?? process.env;
  const open = options.open ?? openLazily;
  if (choice.storageUrl !== undefined) {
    parseLocationUrl(choice.storageUrl);
    return { source: 'url', url: choice.storageUrl, reference: choice.storageUrl, label: choice.storageUrl.split('?')[0]!, accessMode: 'ReadWrite', store: await open(choice.storageUrl, env) };
  }
  const locations = options.client ? new LocationClient(options.client, options.namespace) : undefined;
  if (choice.storageLocation !== undefined) {
    if (!locations) throw new BadInputError(`--storage-location ${choice.storageLocation} needs a cluster to read the location from`);
    await locations.requireAvailable('--storage-location');
    return named(await locations.require(choice.storageLocation), 'named', options, env, open);
  }
  const fallback = locations && (await locations.available()) ? await locations.defaultLocation() : undefined;
  if (fallback) return named(fallback, 'default', options, env, open);
  const url = defaultLocationUrl(env);
  return { source: 'embedded', url, reference: url, label: url, accessMode: 'ReadWrite', store: await open(url, env) };
}

async function named(
  location: StorageLocation,
  source: 'named' | 'default',
  options: ResolveOptions,
  env: NodeJS.ProcessEnv,
  open: OpenStore,
): Promise<ResolvedLocation> {
  let storeEnv = env;
  const inPod = env.KUBERNETES_SERVICE_HOST !== undefined && env.AWS_ACCESS_KEY_ID !== undefined;
  if (location.credentialsSecret && !inPod && options.client) {
    const credentials = await readCredentialsSecret(options.client, options.namespace, location.credentialsSecret);
    if (credentials) storeEnv = { ...env, ...credentials, ...(credentials.AWS_SESSION_TOKEN ? {} : { AWS_SESSION_TOKEN: undefined }) };
    else options.logger?.log('debug', 'credentials Secret of the location not readable; using the AWS SDK credential chain', { location: location.name });
  }
  return {
    source,
    name: location.name,
    url: location.url,
    reference: location.name,
    label: `location "${location.name}"`,
    accessMode: location.accessMode,
    ...(location.objectLock ? { objectLock: location.objectLock } : {}),
    store: await open(location.url, storeEnv),
  };
}

/** A ReadOnly location refuses writes before anything is written (exit 2). */
export function requireWritable(location: ResolvedLocation, what: string): void {
  if (location.accessMode === 'ReadOnly') {
    throw new BadInputError(`${location.label} is ReadOnly: ${what} would write to it; restore from it, or see: kubectl backup location set ${location.name ?? ''} --access-mode ReadWrite`.replace(/ {2,}/g, ' '));
  }
}

/**
 * The retention every object of a backup is put with on an object-lock location: its mode and
 * the backup's expiry. A backup that never expires has no date to keep it until: refused.
 */
export function retentionFor(location: ResolvedLocation, expiry: Date | null): Retention | undefined {
  if (!location.objectLock) return undefined;
  if (expiry === null) {
    throw new BadInputError(`${location.label} puts backups under object lock until they expire; a backup with --ttl 0 never expires: give a --ttl`);
  }
  return { mode: retentionMode(location.objectLock), retainUntil: expiry };
}

/** The S3 retention mode of a location's --object-lock. */
export function retentionMode(objectLock: ObjectLockMode): RetentionMode {
  return objectLock === 'compliance' ? 'COMPLIANCE' : 'GOVERNANCE';
}

/**
 * For commands that look after every location (gc, sync): the one chosen by a flag, else
 * every named location (ReadOnly ones only when `includeReadOnly`), else the default
 * resolution (the embedded default when there are none).
 */
export async function resolveEach(choice: LocationChoice, options: ResolveOptions, includeReadOnly: boolean): Promise<ResolvedLocation[]> {
  if (choice.storageUrl !== undefined || choice.storageLocation !== undefined) return [await resolveLocation(choice, options)];
  const locations = options.client ? new LocationClient(options.client, options.namespace) : undefined;
  const listed = locations && (await locations.available()) ? await locations.list() : [];
  if (listed.length === 0) return [await resolveLocation({}, options)];
  const chosen = listed.filter((l) => includeReadOnly || l.accessMode !== 'ReadOnly');
  // The listing already holds each location: opened as they are, not asked for one by one again.
  const env = options.env ?? process.env;
  return Promise.all(chosen.map((l) => named(l, 'named', options, env, options.open ?? openLazily)));
}
