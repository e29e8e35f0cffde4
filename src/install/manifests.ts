import type { KubeObject } from '../kube/types.js';
import { componentLabel, managedByLabel, managedByValue, settingsConfigMap, settingsImageKey } from './api-group.js';
import { customResourceDefinition, ownResourceNames } from './crds.js';
import { releasedImage } from './image.js';
import { runnerClusterRole, runnerClusterRoleBinding, runnerRole, runnerRoleBinding, runnerServiceAccountManifest } from './rbac.js';

export interface InstallOptions {
  namespace: string;
  /** `--image`: the image schedules run; absent, the released image of this version. */
  image?: string;
}

export function namespaceManifest(namespace: string): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { [managedByLabel]: managedByValue } } };
}

/**
 * The image new schedules run. Without `--image` it is still written, as the released image of
 * this version: an install by a newer executable must replace an image an earlier one set.
 */
export function settingsManifest(options: InstallOptions): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: settingsConfigMap,
      namespace: options.namespace,
      labels: { [managedByLabel]: managedByValue, [componentLabel]: 'settings' },
    },
    data: { [settingsImageKey]: options.image ?? releasedImage() },
  };
}

/**
 * Everything `install` applies, in the order it must be applied: the namespace first, the
 * CRDs before anything could use them, the ServiceAccount before its bindings.
 */
export function installManifests(options: InstallOptions): KubeObject[] {
  const ns = options.namespace;
  return [
    namespaceManifest(ns),
    ...ownResourceNames.map(customResourceDefinition),
    runnerServiceAccountManifest(ns),
    runnerClusterRole(ns),
    runnerClusterRoleBinding(ns),
    runnerRole(ns),
    runnerRoleBinding(ns),
    settingsManifest(options),
  ];
}
