import type { KubeObject } from '../kube/types.js';
import { groupVersion, managedByLabel, managedByValue, ownResources } from '../install/api-group.js';

export const accessModes = ['ReadWrite', 'ReadOnly'] as const;
export type AccessMode = (typeof accessModes)[number];

export const objectLockModes = ['governance', 'compliance'] as const;
export type ObjectLockMode = (typeof objectLockModes)[number];

/** A named storage location: a `BackupStorageLocation` object in the tool namespace. */
export interface StorageLocation {
  name: string;
  url: string;
  /** A Secret in the tool namespace with AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN). */
  credentialsSecret?: string;
  default: boolean;
  accessMode: AccessMode;
  objectLock?: ObjectLockMode;
  status?: LocationStatus;
  creationTimestamp?: string;
}

export interface LocationStatus {
  phase?: 'Available' | 'Unavailable';
  lastValidationTime?: string;
  message?: string;
}

interface LocationObject extends KubeObject {
  spec?: { url?: unknown; credentialsSecret?: unknown; default?: unknown; accessMode?: unknown; objectLock?: unknown };
  status?: LocationStatus;
}

/** Reads an object as the API server returns it; its schema already typed the spec. */
export function locationFromObject(obj: KubeObject): StorageLocation {
  const { spec = {}, status, metadata } = obj as LocationObject;
  const credentialsSecret = typeof spec.credentialsSecret === 'string' && spec.credentialsSecret !== '' ? spec.credentialsSecret : undefined;
  const objectLock = objectLockModes.find((m) => m === spec.objectLock);
  return {
    name: metadata.name ?? '',
    url: typeof spec.url === 'string' ? spec.url : '',
    ...(credentialsSecret ? { credentialsSecret } : {}),
    default: spec.default === true,
    accessMode: spec.accessMode === 'ReadOnly' ? 'ReadOnly' : 'ReadWrite',
    ...(objectLock ? { objectLock } : {}),
    ...(status ? { status } : {}),
    ...(metadata.creationTimestamp ? { creationTimestamp: metadata.creationTimestamp } : {}),
  };
}

export function locationObject(location: StorageLocation, namespace: string): KubeObject {
  return {
    apiVersion: groupVersion,
    kind: ownResources.backupstoragelocations.kind,
    metadata: { name: location.name, namespace, labels: { [managedByLabel]: managedByValue } },
    spec: {
      url: location.url,
      ...(location.credentialsSecret ? { credentialsSecret: location.credentialsSecret } : {}),
      default: location.default,
      accessMode: location.accessMode,
      ...(location.objectLock ? { objectLock: location.objectLock } : {}),
    },
  };
}
