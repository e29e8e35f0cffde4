import type { KubeObject } from '../kube/types.js';
import { componentLabel, managedByLabel, managedByValue, settingsConfigMap, settingsImageKey } from './api-group.js';
import { customResourceDefinition, ownResourceNames } from './crds.js';
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
 * The image new schedules run, when `--image` names one. Without it the key is left out (the
 * data is compared whole, so an image an earlier install set goes): each `schedule create` then
 * runs the released image of its own version, not of the executable that installed.
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
    data: options.image === undefined ? {} : { [settingsImageKey]: options.image },
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
