import {
  ALL_VERBS, storageKey, storageVersionHash, type ResourceDef, type SubresourceDef,
} from './resource-def.js';
import type { NameRule } from './name-validation.js';

interface Entry {
  group?: string;
  version?: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  verbs?: string[];
  sub?: SubresourceDef[];
  nameRule?: NameRule;
  generation?: boolean;
  fields?: Record<string, string>;
  storage?: string;
  returnDeleted?: boolean;
  orphanByDefault?: boolean;
  createOnUpdate?: boolean;
  immutable?: string[];
  protection?: string[];
  onDelete?: string[];
  review?: boolean;
}

const status = (kind: string): SubresourceDef => ({ name: 'status', kind, verbs: ['get', 'patch', 'update'] });
const scale: SubresourceDef = { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: ['get', 'patch', 'update'] };
const proxy = (kind: string): SubresourceDef => ({ name: 'proxy', kind, verbs: ['create', 'delete', 'get', 'patch', 'update'] });

const POD_FIELDS = {
  'spec.nodeName': 'spec.nodeName|',
  'spec.restartPolicy': 'spec.restartPolicy|',
  'spec.schedulerName': 'spec.schedulerName|',
  'spec.serviceAccountName': 'spec.serviceAccountName|',
  'spec.hostNetwork': 'spec.hostNetwork|false',
  'status.phase': 'status.phase|',
  'status.podIP': 'status.podIP|',
  'status.nominatedNodeName': 'status.nominatedNodeName|',
};

const EVENT_FIELDS = {
  'involvedObject.kind': 'involvedObject.kind|',
  'involvedObject.namespace': 'involvedObject.namespace|',
  'involvedObject.name': 'involvedObject.name|',
  'involvedObject.uid': 'involvedObject.uid|',
  'involvedObject.apiVersion': 'involvedObject.apiVersion|',
  'involvedObject.resourceVersion': 'involvedObject.resourceVersion|',
  'involvedObject.fieldPath': 'involvedObject.fieldPath|',
  reason: 'reason|',
  reportingComponent: 'reportingComponent|',
  source: 'source.component|',
  type: 'type|',
};

const WORKLOAD_SELECTOR = ['spec.selector'];

/**
 * The built-in resources of a v1.32 API server that the test server serves: one entry per
 * resource, as discovery shows them (kinds, short names, scope, verbs, subresources).
 */
const ENTRIES: Entry[] = [
  { plural: 'componentstatuses', kind: 'ComponentStatus', namespaced: false, shortNames: ['cs'], verbs: ['get', 'list'] },
  { plural: 'configmaps', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { plural: 'endpoints', kind: 'Endpoints', namespaced: true, shortNames: ['ep'], createOnUpdate: true },
  { plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], fields: EVENT_FIELDS, createOnUpdate: true },
  { plural: 'limitranges', kind: 'LimitRange', namespaced: true, shortNames: ['limits'], createOnUpdate: true },
  {
    plural: 'namespaces', kind: 'Namespace', namespaced: false, shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    sub: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
    nameRule: 'dns1123-label', fields: { 'status.phase': 'status.phase|' }, returnDeleted: true,
  },
  {
    plural: 'nodes', kind: 'Node', namespaced: false, shortNames: ['no'],
    sub: [proxy('NodeProxyOptions'), status('Node')], fields: { 'spec.unschedulable': 'spec.unschedulable|false' },
  },
  {
    plural: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'],
    sub: [status('PersistentVolumeClaim')], protection: ['kubernetes.io/pvc-protection'],
  },
  {
    plural: 'persistentvolumes', kind: 'PersistentVolume', namespaced: false, shortNames: ['pv'],
    sub: [status('PersistentVolume')], protection: ['kubernetes.io/pv-protection'],
  },
  {
    plural: 'pods', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'],
    sub: [
      { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
      { name: 'binding', kind: 'Binding', verbs: ['create'] },
      { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
      { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
      { name: 'log', kind: 'Pod', verbs: ['get'] },
      { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
      proxy('PodProxyOptions'),
      status('Pod'),
    ],
    fields: POD_FIELDS, returnDeleted: true,
  },
  { plural: 'podtemplates', kind: 'PodTemplate', namespaced: true },
  {
    plural: 'replicationcontrollers', kind: 'ReplicationController', namespaced: true, shortNames: ['rc'], categories: ['all'],
    sub: [scale, status('ReplicationController')], generation: true, orphanByDefault: true,
    fields: { 'status.replicas': 'status.replicas|0' },
  },
  { plural: 'resourcequotas', kind: 'ResourceQuota', namespaced: true, shortNames: ['quota'], sub: [status('ResourceQuota')] },
  { plural: 'secrets', kind: 'Secret', namespaced: true, fields: { type: 'type|' }, immutable: ['type'] },
  {
    plural: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'],
    sub: [{ name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] }],
  },
  {
    plural: 'services', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'],
    sub: [proxy('ServiceProxyOptions'), status('Service')], nameRule: 'dns1035-label', returnDeleted: true,
    fields: { 'spec.clusterIP': 'spec.clusterIP|', 'spec.type': 'spec.type|' }, createOnUpdate: true,
  },

  { group: 'apps', plural: 'controllerrevisions', kind: 'ControllerRevision', namespaced: true },
  {
    group: 'apps', plural: 'daemonsets', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'],
    sub: [status('DaemonSet')], generation: true, immutable: WORKLOAD_SELECTOR,
  },
  {
    group: 'apps', plural: 'deployments', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'],
    sub: [scale, status('Deployment')], generation: true, immutable: WORKLOAD_SELECTOR,
  },
  {
    group: 'apps', plural: 'replicasets', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'],
    sub: [scale, status('ReplicaSet')], generation: true, immutable: WORKLOAD_SELECTOR,
    fields: { 'status.replicas': 'status.replicas|0' },
  },
  {
    group: 'apps', plural: 'statefulsets', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'],
    sub: [scale, status('StatefulSet')], generation: true, immutable: WORKLOAD_SELECTOR,
  },

  { group: 'authentication.k8s.io', plural: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false, verbs: ['create'], review: true },
  { group: 'authentication.k8s.io', plural: 'tokenreviews', kind: 'TokenReview', namespaced: false, verbs: ['create'], review: true },
  { group: 'authorization.k8s.io', plural: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true, verbs: ['create'], review: true },
  { group: 'authorization.k8s.io', plural: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false, verbs: ['create'], review: true },
  { group: 'authorization.k8s.io', plural: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false, verbs: ['create'], review: true },
  { group: 'authorization.k8s.io', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false, verbs: ['create'], review: true },

  {
    group: 'autoscaling', version: 'v2', plural: 'horizontalpodautoscalers', kind: 'HorizontalPodAutoscaler', namespaced: true,
    shortNames: ['hpa'], categories: ['all'], sub: [status('HorizontalPodAutoscaler')],
  },

  { group: 'batch', plural: 'cronjobs', kind: 'CronJob', namespaced: true, shortNames: ['cj'], categories: ['all'], sub: [status('CronJob')], generation: true },
  {
    group: 'batch', plural: 'jobs', kind: 'Job', namespaced: true, categories: ['all'], sub: [status('Job')], generation: true,
    orphanByDefault: true, fields: { 'status.successful': 'status.succeeded|0' }, immutable: ['spec.selector', 'spec.template'],
  },

  { group: 'coordination.k8s.io', plural: 'leases', kind: 'Lease', namespaced: true },

  { group: 'discovery.k8s.io', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true },

  { group: 'events.k8s.io', plural: 'events', kind: 'Event', namespaced: true, shortNames: ['ev'], storage: storageKey('', 'events'), fields: EVENT_FIELDS },

  { group: 'networking.k8s.io', plural: 'ingressclasses', kind: 'IngressClass', namespaced: false },
  { group: 'networking.k8s.io', plural: 'ingresses', kind: 'Ingress', namespaced: true, shortNames: ['ing'], sub: [status('Ingress')], generation: true },
  { group: 'networking.k8s.io', plural: 'networkpolicies', kind: 'NetworkPolicy', namespaced: true, shortNames: ['netpol'], generation: true },

  { group: 'policy', plural: 'poddisruptionbudgets', kind: 'PodDisruptionBudget', namespaced: true, shortNames: ['pdb'], sub: [status('PodDisruptionBudget')], generation: true },

  { group: 'rbac.authorization.k8s.io', plural: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false, nameRule: 'path-segment', immutable: ['roleRef'] },
  { group: 'rbac.authorization.k8s.io', plural: 'clusterroles', kind: 'ClusterRole', namespaced: false, nameRule: 'path-segment' },
  { group: 'rbac.authorization.k8s.io', plural: 'rolebindings', kind: 'RoleBinding', namespaced: true, nameRule: 'path-segment', immutable: ['roleRef'] },
  { group: 'rbac.authorization.k8s.io', plural: 'roles', kind: 'Role', namespaced: true, nameRule: 'path-segment' },

  { group: 'scheduling.k8s.io', plural: 'priorityclasses', kind: 'PriorityClass', namespaced: false, shortNames: ['pc'], immutable: ['value'] },

  { group: 'storage.k8s.io', plural: 'csidrivers', kind: 'CSIDriver', namespaced: false },
  { group: 'storage.k8s.io', plural: 'csinodes', kind: 'CSINode', namespaced: false },
  { group: 'storage.k8s.io', plural: 'csistoragecapacities', kind: 'CSIStorageCapacity', namespaced: true },
  { group: 'storage.k8s.io', plural: 'storageclasses', kind: 'StorageClass', namespaced: false, shortNames: ['sc'], immutable: ['provisioner', 'parameters', 'reclaimPolicy', 'volumeBindingMode'] },
  { group: 'storage.k8s.io', plural: 'volumeattachments', kind: 'VolumeAttachment', namespaced: false, sub: [status('VolumeAttachment')] },

  {
    group: 'apiextensions.k8s.io', plural: 'customresourcedefinitions', kind: 'CustomResourceDefinition', namespaced: false,
    shortNames: ['crd', 'crds'], sub: [status('CustomResourceDefinition')], generation: true,
    // apiextensions' registry: on delete, so that the CRD's custom resources go before it.
    onDelete: ['customresourcecleanup.apiextensions.k8s.io'],
  },
];

function toDef(e: Entry): ResourceDef {
  const group = e.group ?? '';
  const version = e.version ?? 'v1';
  return {
    group,
    plural: e.plural,
    singular: e.kind.toLowerCase(),
    kind: e.kind,
    listKind: `${e.kind}List`,
    namespaced: e.namespaced,
    versions: [{ name: version, subresources: e.sub ?? [] }],
    storageVersion: version,
    shortNames: e.shortNames ?? [],
    categories: e.categories ?? [],
    verbs: e.verbs ?? ALL_VERBS,
    builtIn: true,
    nameRule: e.nameRule ?? 'dns1123-subdomain',
    hasGeneration: e.generation ?? false,
    fieldSelectors: e.fields ?? {},
    storage: e.storage ?? storageKey(group, e.plural),
    returnDeletedObject: e.returnDeleted ?? false,
    defaultPropagation: e.orphanByDefault ? 'Orphan' : 'Background',
    allowCreateOnUpdate: e.createOnUpdate ?? false,
    immutableFields: e.immutable ?? [],
    protectionFinalizers: e.protection ?? [],
    deletionFinalizers: e.onDelete ?? [],
    storageVersionHash: storageVersionHash(group, version, e.kind),
    review: e.review,
  };
}

export function builtinResources(): ResourceDef[] {
  return ENTRIES.map(toDef);
}

/** The order of groups in /apis, as a v1.32 server lists them. */
export const BUILTIN_GROUP_ORDER = [
  'apps', 'events.k8s.io', 'authentication.k8s.io', 'authorization.k8s.io', 'autoscaling', 'batch', 'networking.k8s.io', 'policy',
  'rbac.authorization.k8s.io', 'storage.k8s.io', 'apiextensions.k8s.io', 'scheduling.k8s.io',
  'coordination.k8s.io', 'discovery.k8s.io',
];
