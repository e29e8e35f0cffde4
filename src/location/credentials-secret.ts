import { isAlreadyExists, isForbidden, isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import { existsIfReadable } from '../kube/get-if-exists.js';
import type { KubeObject } from '../kube/types.js';
import { apiGroup, managedByLabel, managedByValue } from '../install/api-group.js';
import type { S3Credentials } from './credentials-file.js';

/** On Secrets made by `--credentials-file`: the location they belong to. */
export const locationLabel = `${apiGroup}/location`;

export function credentialsSecretName(location: string): string {
  return `kubectl-backup-location-${location}`;
}

const secretsPath = (namespace: string, name?: string) =>
  `/api/v1/namespaces/${encodeURIComponent(namespace)}/secrets${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;

/** True when it exists; undefined when we may not read Secrets and cannot tell. */
export function secretExists(client: KubeClient, namespace: string, name: string): Promise<boolean | undefined> {
  return existsIfReadable(client, secretsPath(namespace, name));
}

/** The credentials a Secret holds, or undefined when it cannot be read. Never logged. */
export async function readCredentialsSecret(client: KubeClient, namespace: string, name: string): Promise<S3Credentials | undefined> {
  let secret: { data?: Record<string, string> };
  try {
    secret = await client.json({ method: 'GET', path: secretsPath(namespace, name) });
  } catch (err) {
    if (isNotFound(err) || isForbidden(err)) return undefined;
    throw err;
  }
  const value = (key: string) => {
    const encoded = secret.data?.[key];
    return encoded === undefined ? undefined : Buffer.from(encoded, 'base64').toString('utf8');
  };
  const id = value('AWS_ACCESS_KEY_ID');
  const key = value('AWS_SECRET_ACCESS_KEY');
  if (!id || !key) return undefined;
  const token = value('AWS_SESSION_TOKEN');
  return { AWS_ACCESS_KEY_ID: id, AWS_SECRET_ACCESS_KEY: key, ...(token ? { AWS_SESSION_TOKEN: token } : {}) };
}

/**
 * Writes the Secret of a location's credentials (created, or replaced when it is already ours
 * for that location). The values go only into the Secret's data.
 * @returns false when a Secret of that name exists that is not ours
 */
export async function writeCredentialsSecret(client: KubeClient, namespace: string, location: string, credentials: S3Credentials): Promise<boolean> {
  const name = credentialsSecretName(location);
  const body: KubeObject = {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels: { [managedByLabel]: managedByValue, [locationLabel]: location } },
    type: 'Opaque',
    data: Object.fromEntries(Object.entries(credentials).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')])),
  };
  try {
    await client.json({ method: 'POST', path: secretsPath(namespace), body });
    return true;
  } catch (err) {
    if (!isAlreadyExists(err)) throw err;
  }
  const existing = await client.json<KubeObject>({ method: 'GET', path: secretsPath(namespace, name) });
  if (existing.metadata.labels?.[locationLabel] !== location) return false;
  await client.json({ method: 'PUT', path: secretsPath(namespace, name), body: { ...body, metadata: { ...body.metadata, resourceVersion: existing.metadata.resourceVersion } } });
  return true;
}

/** Deletes the Secret `--credentials-file` made for the location, and only that one. */
export async function deleteCredentialsSecret(client: KubeClient, namespace: string, location: string): Promise<boolean> {
  const name = credentialsSecretName(location);
  try {
    const existing = await client.json<KubeObject>({ method: 'GET', path: secretsPath(namespace, name) });
    if (existing.metadata.labels?.[locationLabel] !== location || existing.metadata.labels?.[managedByLabel] !== managedByValue) return false;
    await client.json({ method: 'DELETE', path: secretsPath(namespace, name) });
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
