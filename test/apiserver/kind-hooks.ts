import { configMapHooks, secretHooks } from './config-data-hooks.js';
import { crdHooks } from './crd-hooks.js';
import { namespaceHooks } from './namespace-hooks.js';
import { podHooks } from './pod-hooks.js';
import { persistentVolumeClaimHooks, persistentVolumeHooks } from './volume-hooks.js';
import { storageKey } from './resource-def.js';
import type { ServiceAllocator } from './service-allocator.js';
import { serviceHooks } from './service-hooks.js';
import { workloadHooks } from './workload-hooks.js';
import type { KindHooks } from './write-context.js';

/** Kind-specific behaviour, by storage. */
export function kindHooks(allocator: ServiceAllocator): Record<string, KindHooks> {
  return {
    [storageKey('', 'namespaces')]: namespaceHooks,
    [storageKey('', 'services')]: serviceHooks(allocator),
    [storageKey('', 'configmaps')]: configMapHooks,
    [storageKey('', 'secrets')]: secretHooks,
    [storageKey('', 'pods')]: podHooks,
    [storageKey('', 'persistentvolumes')]: persistentVolumeHooks,
    [storageKey('', 'persistentvolumeclaims')]: persistentVolumeClaimHooks,
    [storageKey('apiextensions.k8s.io', 'customresourcedefinitions')]: crdHooks,
    [storageKey('apps', 'deployments')]: workloadHooks.deployment,
    [storageKey('apps', 'replicasets')]: workloadHooks.replicaSet,
    [storageKey('apps', 'statefulsets')]: workloadHooks.statefulSet,
    [storageKey('apps', 'daemonsets')]: workloadHooks.daemonSet,
    [storageKey('', 'replicationcontrollers')]: workloadHooks.replicationController,
    [storageKey('', 'podtemplates')]: workloadHooks.podTemplate,
    [storageKey('batch', 'jobs')]: workloadHooks.job,
    [storageKey('batch', 'cronjobs')]: workloadHooks.cronJob,
  };
}
