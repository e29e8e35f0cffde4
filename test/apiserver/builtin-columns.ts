import { age } from './human-duration.js';
import { asArray, asObject, isObject, type JsonObject } from './json.js';
import type { PrinterColumn } from './resource-def.js';
import { storageKey } from './resource-def.js';

type Obj = Record<string, unknown>;

const NAME_DESCRIPTION = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DESCRIPTION = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

export const NAME_COLUMN: PrinterColumn = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, value: (o) => String(obj(o.metadata).name ?? '') };
const NAME_COLUMN_LOW: PrinterColumn = { ...NAME_COLUMN, priority: 1 };
export const AGE_COLUMN: PrinterColumn = { name: 'Age', type: 'string', description: AGE_DESCRIPTION, value: (o) => age(obj(o.metadata).creationTimestamp) };

function obj(value: unknown): JsonObject {
  return asObject(value) ?? {};
}

function count(value: unknown): number {
  return isObject(value) ? Object.keys(value).length : 0;
}

function str(value: unknown, fallback = '<none>'): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

const podReady = (o: Obj): string => {
  const statuses = (asArray(obj(o.status).containerStatuses) ?? []).filter(isObject);
  const total = (asArray(obj(o.spec).containers) ?? []).length;
  return `${statuses.filter((s) => s.ready === true).length}/${total}`;
};

const podRestarts = (o: Obj): number => (asArray(obj(o.status).containerStatuses) ?? [])
  .filter(isObject).reduce((n, s) => n + (typeof s.restartCount === 'number' ? s.restartCount : 0), 0);

const servicePorts = (o: Obj): string => {
  const ports = (asArray(obj(o.spec).ports) ?? []).filter(isObject);
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
};

const externalIp = (o: Obj): string => {
  const spec = obj(o.spec);
  const ingress = (asArray(obj(obj(o.status).loadBalancer).ingress) ?? []).filter(isObject);
  if (spec.type === 'ExternalName') return str(spec.externalName);
  if (spec.type === 'LoadBalancer') return ingress.length > 0 ? ingress.map((i) => i.ip ?? i.hostname).join(',') : '<pending>';
  const external = asArray(spec.externalIPs) ?? [];
  return external.length > 0 ? external.join(',') : '<none>';
};

const nodeStatus = (o: Obj): string => {
  const ready = (asArray(obj(o.status).conditions) ?? []).filter(isObject).find((c) => c.type === 'Ready');
  const base = ready?.status === 'True' ? 'Ready' : 'NotReady';
  return obj(o.spec).unschedulable === true ? `${base},SchedulingDisabled` : base;
};

const nodeRoles = (o: Obj): string => {
  const labels = obj(obj(o.metadata).labels);
  const roles = Object.keys(labels).filter((k) => k.startsWith('node-role.kubernetes.io/')).map((k) => k.slice('node-role.kubernetes.io/'.length));
  return roles.length > 0 ? roles.join(',') : '<none>';
};

const replicas = (o: Obj, field: string): number => {
  const v = obj(o.status)[field];
  return typeof v === 'number' ? v : 0;
};

const desired = (o: Obj): number => {
  const v = obj(o.spec).replicas;
  return typeof v === 'number' ? v : 1;
};

const nodeAddress = (o: Obj, type: string): string => {
  const found = (asArray(obj(o.status).addresses) ?? []).filter(isObject).find((a) => a.type === type);
  return str(found?.address);
};

const componentCondition = (o: Obj): JsonObject => (asArray(o.conditions) ?? []).filter(isObject).find((c) => c.type === 'Healthy') ?? {};

const selectorText = (selector: unknown): string => {
  const entries = Object.entries(obj(selector));
  return entries.length > 0 ? entries.map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';
};

const templateContainers = (o: Obj): JsonObject[] => (asArray(obj(obj(obj(o.spec).template).spec).containers) ?? []).filter(isObject);

const eventTime = (o: Obj): unknown => {
  const series = obj(o.series);
  return series.lastObservedTime ?? o.lastTimestamp ?? o.eventTime ?? obj(o.metadata).creationTimestamp;
};

const involved = (o: Obj): string => {
  const ref = obj(o.involvedObject);
  return `${String(ref.kind ?? '').toLowerCase()}/${String(ref.name ?? '')}`;
};

/** Tables that do not start with Name (the event printer's). */
export const FULL_COLUMNS: Record<string, PrinterColumn[]> = {
  [storageKey('', 'events')]: [
    { name: 'Last Seen', type: 'string', value: (o) => age(eventTime(o)) },
    { name: 'Type', type: 'string', value: (o) => str(o.type, '') },
    { name: 'Reason', type: 'string', value: (o) => str(o.reason, '') },
    { name: 'Object', type: 'string', value: involved },
    { name: 'Subobject', type: 'string', priority: 1, value: (o) => str(obj(o.involvedObject).fieldPath, '') },
    { name: 'Source', type: 'string', priority: 1, value: (o) => str(obj(o.source).component ?? o.reportingComponent, '') },
    { name: 'Message', type: 'string', value: (o) => str(o.message, '') },
    { name: 'First Seen', type: 'string', priority: 1, value: (o) => age(o.firstTimestamp ?? o.eventTime) },
    { name: 'Count', type: 'string', priority: 1, value: (o) => String(o.count ?? 1) },
    NAME_COLUMN_LOW,
  ],
};

const endpointsText = (o: Obj): string => {
  const out: string[] = [];
  for (const subset of (asArray(o.subsets) ?? []).filter(isObject)) {
    const ports = (asArray(subset.ports) ?? []).filter(isObject).map((p) => p.port);
    for (const address of (asArray(subset.addresses) ?? []).filter(isObject)) {
      for (const port of ports.length > 0 ? ports : [undefined]) out.push(port === undefined ? String(address.ip) : `${String(address.ip)}:${String(port)}`);
    }
  }
  return out.length > 0 ? out.join(',') : '<none>';
};

/** Resources whose table has no Age column. */
export const WITHOUT_AGE = new Set([storageKey('', 'componentstatuses')]);

/** Type-specific columns of the real server's printers after Name (Age is appended unless listed). */
export const BUILTIN_COLUMNS: Record<string, PrinterColumn[]> = {
  [storageKey('', 'configmaps')]: [{ name: 'Data', type: 'integer', value: (o) => count(o.data) + count(o.binaryData) }],
  [storageKey('', 'secrets')]: [
    { name: 'Type', type: 'string', value: (o) => str(o.type, '') },
    { name: 'Data', type: 'integer', value: (o) => count(o.data) },
  ],
  [storageKey('', 'namespaces')]: [{ name: 'Status', type: 'string', value: (o) => str(obj(o.status).phase, '') }],
  [storageKey('', 'serviceaccounts')]: [{ name: 'Secrets', type: 'string', value: (o) => String((asArray(o.secrets) ?? []).length) }],
  [storageKey('', 'services')]: [
    { name: 'Type', type: 'string', value: (o) => str(obj(o.spec).type, '') },
    { name: 'Cluster-IP', type: 'string', value: (o) => str(obj(o.spec).clusterIP) },
    { name: 'External-IP', type: 'string', value: externalIp },
    { name: 'Port(s)', type: 'string', value: servicePorts },
    AGE_COLUMN,
    { name: 'Selector', type: 'string', priority: 1, value: (o) => selectorText(obj(o.spec).selector) },
  ],
  [storageKey('', 'pods')]: [
    { name: 'Ready', type: 'string', value: podReady },
    { name: 'Status', type: 'string', value: (o) => str(obj(o.metadata).deletionTimestamp ? 'Terminating' : obj(o.status).phase, 'Unknown') },
    { name: 'Restarts', type: 'string', value: (o) => String(podRestarts(o)) },
    AGE_COLUMN,
    { name: 'IP', type: 'string', priority: 1, value: (o) => str(obj(o.status).podIP) },
    { name: 'Node', type: 'string', priority: 1, value: (o) => str(obj(o.spec).nodeName) },
    { name: 'Nominated Node', type: 'string', priority: 1, value: (o) => str(obj(o.status).nominatedNodeName) },
    { name: 'Readiness Gates', type: 'string', priority: 1, value: () => '<none>' },
  ],
  [storageKey('', 'nodes')]: [
    { name: 'Status', type: 'string', value: nodeStatus },
    { name: 'Roles', type: 'string', value: nodeRoles },
    AGE_COLUMN,
    { name: 'Version', type: 'string', value: (o) => str(obj(obj(o.status).nodeInfo).kubeletVersion, '') },
    { name: 'Internal-IP', type: 'string', priority: 1, value: (o) => nodeAddress(o, 'InternalIP') },
    { name: 'External-IP', type: 'string', priority: 1, value: (o) => nodeAddress(o, 'ExternalIP') },
    { name: 'OS-Image', type: 'string', priority: 1, value: (o) => str(obj(obj(o.status).nodeInfo).osImage, '<unknown>') },
    { name: 'Kernel-Version', type: 'string', priority: 1, value: (o) => str(obj(obj(o.status).nodeInfo).kernelVersion, '<unknown>') },
    { name: 'Container-Runtime', type: 'string', priority: 1, value: (o) => str(obj(obj(o.status).nodeInfo).containerRuntimeVersion, '<unknown>') },
  ],
  [storageKey('', 'componentstatuses')]: [
    { name: 'Status', type: 'string', value: (o) => componentCondition(o).status === 'True' ? 'Healthy' : 'Unhealthy' },
    { name: 'Message', type: 'string', value: (o) => str(componentCondition(o).message, '') },
    { name: 'Error', type: 'string', value: (o) => str(componentCondition(o).error, '') },
  ],
  [storageKey('', 'endpoints')]: [{ name: 'Endpoints', type: 'string', value: endpointsText }],
  [storageKey('discovery.k8s.io', 'endpointslices')]: [
    { name: 'AddressType', type: 'string', value: (o) => str(o.addressType, '') },
    { name: 'Ports', type: 'string', value: (o) => ((asArray(o.ports) ?? []).filter(isObject).map((p) => String(p.port)).join(',') || '<unset>') },
    { name: 'Endpoints', type: 'string', value: (o) => ((asArray(o.endpoints) ?? []).filter(isObject).flatMap((e) => asArray(e.addresses) ?? []).join(',') || '<unset>') },
  ],
  [storageKey('', 'persistentvolumeclaims')]: [
    { name: 'Status', type: 'string', value: (o) => str(obj(o.status).phase, '') },
    { name: 'Volume', type: 'string', value: (o) => str(obj(o.spec).volumeName, '') },
  ],
  [storageKey('apps', 'deployments')]: [
    { name: 'Ready', type: 'string', value: (o) => `${replicas(o, 'readyReplicas')}/${desired(o)}` },
    { name: 'Up-to-date', type: 'integer', value: (o) => replicas(o, 'updatedReplicas') },
    { name: 'Available', type: 'integer', value: (o) => replicas(o, 'availableReplicas') },
    AGE_COLUMN,
    { name: 'Containers', type: 'string', priority: 1, value: (o) => templateContainers(o).map((c) => c.name).join(',') },
    { name: 'Images', type: 'string', priority: 1, value: (o) => templateContainers(o).map((c) => c.image).join(',') },
    { name: 'Selector', type: 'string', priority: 1, value: (o) => selectorText(obj(obj(o.spec).selector).matchLabels) },
  ],
  [storageKey('apps', 'replicasets')]: [
    { name: 'Desired', type: 'integer', value: desired },
    { name: 'Current', type: 'integer', value: (o) => replicas(o, 'replicas') },
    { name: 'Ready', type: 'integer', value: (o) => replicas(o, 'readyReplicas') },
  ],
  [storageKey('apps', 'statefulsets')]: [
    { name: 'Ready', type: 'string', value: (o) => `${replicas(o, 'readyReplicas')}/${desired(o)}` },
  ],
  [storageKey('batch', 'jobs')]: [
    { name: 'Completions', type: 'string', value: (o) => `${replicas(o, 'succeeded')}/${obj(o.spec).completions ?? 1}` },
  ],
};

/** CRDs print their creation time instead of an age. */
export const CRD_COLUMNS: PrinterColumn[] = [
  { name: 'Created At', type: 'date', format: 'date-time', value: (o) => str(obj(o.metadata).creationTimestamp, '') },
];
