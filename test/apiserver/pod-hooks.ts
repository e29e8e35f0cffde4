import { ApiError, fieldForbidden, fieldRequired, type FieldError } from './api-error.js';
import { deepEqual, isObject, type JsonObject, type JsonValue } from './json.js';
import { randomSuffix } from './random-name.js';
import { storageKey } from './resource-def.js';
import type { HookHost, KindHooks } from './write-context.js';

const SA_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const CONTAINER_LISTS = ['initContainers', 'containers'];

function containersOf(spec: JsonObject, list: string): JsonObject[] {
  const value = spec[list];
  return Array.isArray(value) ? value.filter(isObject) : [];
}

function defaultContainer(c: JsonObject): void {
  const image = typeof c.image === 'string' ? c.image : '';
  const tag = image.includes('@') ? 'digest' : image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  c.imagePullPolicy ??= tag === undefined || tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.resources ??= {};
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) p.protocol ??= 'TCP';
}

/** SetDefaults_PodSpec and its containers: applied to pods and to every pod template. */
export function applyPodSpecDefaults(spec: JsonObject): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const list of CONTAINER_LISTS) for (const c of containersOf(spec, list)) defaultContainer(c);
}

/** Defaults plus what admission plugins add to pods only (priority, default tolerations). */
function applyDefaults(spec: JsonObject): void {
  applyPodSpecDefaults(spec);
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  // DefaultTolerationSeconds admission.
  const tolerations: JsonValue[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerations.some((t) => isObject(t) && t.key === key)) {
      tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
    }
  }
  spec.tolerations = tolerations;
}

const PRIORITY_CLASSES = storageKey('scheduling.k8s.io', 'priorityclasses');

/**
 * The Priority admission plugin: a pod's priority is the value of its PriorityClass, or of the
 * global default class when it names none (0 without one); a pod that gives another value is
 * refused rather than corrected.
 */
function admitPriority(name: string, spec: JsonObject, host: HookHost): void {
  const classes = host.storedObjects(PRIORITY_CLASSES);
  const className = typeof spec.priorityClassName === 'string' ? spec.priorityClassName : '';
  const priorityClass = className === '' ? classes.find((pc) => pc.globalDefault === true) : classes.find((pc) => pc.metadata.name === className);
  const forbidden = (why: string) => new ApiError(403, 'Forbidden', `pods "${name}" is forbidden: ${why}`, { name, kind: 'pods' });
  if (className !== '' && !priorityClass) throw forbidden(`no PriorityClass with name ${className} was found`);
  const computed = typeof priorityClass?.value === 'number' ? priorityClass.value : 0;
  if (typeof spec.priority === 'number' && spec.priority !== computed) {
    throw forbidden(`the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${computed} from the given PriorityClass name`);
  }
  if (priorityClass) spec.priorityClassName = priorityClass.metadata.name ?? className;
  spec.priority = computed;
}

/** The ServiceAccount admission plugin's projected token volume, mounted in every container. */
function injectTokenVolume(spec: JsonObject): void {
  const alreadyMounted = CONTAINER_LISTS.some((list) => containersOf(spec, list).some((c) =>
    Array.isArray(c.volumeMounts) && c.volumeMounts.some((m) => isObject(m) && m.mountPath === SA_MOUNT)));
  if (alreadyMounted) return;
  const name = `kube-api-access-${randomSuffix()}`;
  const volumes: JsonValue[] = Array.isArray(spec.volumes) ? spec.volumes : [];
  volumes.push({
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
        { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 420,
    },
  });
  spec.volumes = volumes;
  for (const list of CONTAINER_LISTS) {
    for (const c of containersOf(spec, list)) {
      const mounts: JsonValue[] = Array.isArray(c.volumeMounts) ? c.volumeMounts : [];
      mounts.push({ name, readOnly: true, mountPath: SA_MOUNT });
      c.volumeMounts = mounts;
    }
  }
}

function validate(spec: JsonObject): FieldError[] {
  const errors: FieldError[] = [];
  const containers = containersOf(spec, 'containers');
  if (containers.length === 0) errors.push(fieldRequired('spec.containers'));
  containers.forEach((c, i) => {
    if (!c.name) errors.push(fieldRequired(`spec.containers[${i}].name`));
    if (!c.image) errors.push(fieldRequired(`spec.containers[${i}].image`));
  });
  // ValidatePodCreate: ephemeral containers are added through the ephemeralcontainers subresource only.
  if (containersOf(spec, 'ephemeralContainers').length > 0) errors.push(fieldForbidden('spec.ephemeralContainers', 'cannot be set on create'));
  return errors;
}

/** The fields a pod update may change, blanked out so the rest can be compared. */
function mutableBlanked(spec: JsonObject): JsonObject {
  const copy = structuredClone(spec);
  for (const list of [...CONTAINER_LISTS, 'ephemeralContainers']) for (const c of containersOf(copy, list)) delete c.image;
  delete copy.activeDeadlineSeconds;
  delete copy.tolerations;
  delete copy.terminationGracePeriodSeconds;
  return copy;
}

const POD_UPDATE_FORBIDDEN = 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pods: defaults, the service-account admission plugin, Pending status, and spec immutability. */
export const podHooks: KindHooks = {
  prepareCreate(obj, ctx) {
    if (!isObject(obj.spec)) obj.spec = {};
    const spec = obj.spec as JsonObject;
    const errors = validate(spec);
    if (errors.length > 0) return errors;
    const namespace = obj.metadata.namespace ?? '';
    const sa = typeof spec.serviceAccountName === 'string' && spec.serviceAccountName ? spec.serviceAccountName
      : typeof spec.serviceAccount === 'string' && spec.serviceAccount ? spec.serviceAccount : 'default';
    spec.serviceAccountName = sa;
    spec.serviceAccount = sa;
    if (!ctx.host.exists('/serviceaccounts', namespace, sa)) {
      throw new ApiError(403, 'Forbidden',
        `pods "${obj.metadata.name}" is forbidden: error looking up service account ${namespace}/${sa}: serviceaccount "${sa}" not found`,
        { name: obj.metadata.name ?? '', kind: 'pods' });
    }
    applyDefaults(spec);
    admitPriority(obj.metadata.name ?? '', spec, ctx.host);
    if (spec.automountServiceAccountToken !== false) injectTokenVolume(spec);
    obj.status = { phase: 'Pending', qosClass: 'BestEffort' };
    return [];
  },
  prepareUpdate(obj, old) {
    const spec = isObject(obj.spec) ? obj.spec : {};
    const oldSpec = isObject(old.spec) ? old.spec : {};
    for (const list of CONTAINER_LISTS) for (const c of containersOf(spec, list)) defaultContainer(c);
    if (!deepEqual(mutableBlanked(spec), mutableBlanked(oldSpec))) return [fieldForbidden('spec', POD_UPDATE_FORBIDDEN)];
    return [];
  },
};
