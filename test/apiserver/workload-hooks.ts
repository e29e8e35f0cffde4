import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from './api-error.js';
import { ensureObject, getPath, isObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import { applyPodSpecDefaults } from './pod-hooks.js';
import type { KindHooks } from './write-context.js';

function specOf(obj: KubeObject): JsonObject {
  if (!isObject(obj.spec)) obj.spec = {};
  return obj.spec as JsonObject;
}

function defaultTemplate(template: unknown): void {
  if (!isObject(template)) return;
  if (isObject(template.spec)) applyPodSpecDefaults(template.spec);
}

function selectorMatchesTemplate(spec: JsonObject, templatePath = ['template']): FieldError[] {
  const selector = isObject(spec.selector) ? spec.selector : undefined;
  if (!selector) return [fieldRequired('spec.selector')];
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const labels = getPath(spec, [...templatePath, 'metadata', 'labels']);
  const actual = isObject(labels) ? labels : {};
  for (const [k, v] of Object.entries(matchLabels)) {
    if (actual[k] !== v) return [fieldInvalid('spec.template.metadata.labels', actual, '`selector` does not match template `labels`')];
  }
  return [];
}

type Defaulter = (spec: JsonObject) => void;

/** A workload kind: its spec defaults and whether its selector must match its template. */
function workload(defaults: Defaulter, checkSelector = true): KindHooks {
  const prepare = (obj: KubeObject): FieldError[] => {
    const spec = specOf(obj);
    defaults(spec);
    defaultTemplate(spec.template);
    return checkSelector ? selectorMatchesTemplate(spec) : [];
  };
  return { prepareCreate: prepare, prepareUpdate: prepare };
}

const deploymentDefaults: Defaulter = (spec) => {
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate' };
  const strategy = spec.strategy as JsonObject;
  if (strategy.type === 'RollingUpdate') strategy.rollingUpdate ??= { maxUnavailable: '25%', maxSurge: '25%' };
};

const statefulSetDefaults: Defaulter = (spec) => {
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { partition: 0 } };
  spec.revisionHistoryLimit ??= 10;
  spec.persistentVolumeClaimRetentionPolicy ??= { whenDeleted: 'Retain', whenScaled: 'Retain' };
};

const daemonSetDefaults: Defaulter = (spec) => {
  spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } };
  spec.revisionHistoryLimit ??= 10;
};

const JOB_RESTART = ['OnFailure', 'Never'];

function jobSpecDefaults(spec: JsonObject): void {
  spec.parallelism ??= 1;
  spec.completions ??= 1;
  spec.backoffLimit ??= 6;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= 'TerminatingOrFailed';
  defaultTemplate(spec.template);
}

/**
 * The Job strategy's generated selector: unless manualSelector is set, the server labels the
 * pod template with the Job's uid and selects on it; a selector sent by the client is refused.
 */
function generateJobSelector(obj: KubeObject, spec: JsonObject): FieldError[] {
  if (spec.manualSelector === true) return selectorMatchesTemplate(spec);
  if (spec.selector !== undefined) {
    return [fieldInvalid('spec.selector', spec.selector, '`selector` will be auto-generated')];
  }
  const uid = obj.metadata.uid ?? '';
  const name = obj.metadata.name ?? '';
  const labels = ensureObject(ensureObject(spec, ['template']), ['metadata']);
  labels.labels = {
    ...(isObject(labels.labels) ? labels.labels : {}),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  return [];
}

function jobRestartPolicy(spec: JsonObject, field: string): FieldError[] {
  const policy = getPath(spec, ['template', 'spec', 'restartPolicy']);
  return JOB_RESTART.includes(String(policy)) ? [] : [fieldNotSupported(field, policy ?? '', JOB_RESTART)];
}

const jobHooks: KindHooks = {
  prepareCreate(obj) {
    const spec = specOf(obj);
    const template = ensureObject(spec, ['template', 'spec']);
    template.restartPolicy ??= 'Never';
    jobSpecDefaults(spec);
    return [...jobRestartPolicy(spec, 'spec.template.spec.restartPolicy'), ...generateJobSelector(obj, spec)];
  },
  prepareUpdate(obj) {
    const spec = specOf(obj);
    jobSpecDefaults(spec);
    return jobRestartPolicy(spec, 'spec.template.spec.restartPolicy');
  },
};

const cronJobHooks: KindHooks = (() => {
  const prepare = (obj: KubeObject): FieldError[] => {
    const spec = specOf(obj);
    spec.concurrencyPolicy ??= 'Allow';
    spec.suspend ??= false;
    spec.successfulJobsHistoryLimit ??= 3;
    spec.failedJobsHistoryLimit ??= 1;
    const jobSpec = ensureObject(spec, ['jobTemplate', 'spec']);
    const podSpec = ensureObject(jobSpec, ['template', 'spec']);
    podSpec.restartPolicy ??= 'Never';
    jobSpecDefaults(jobSpec);
    return jobRestartPolicy(jobSpec, 'spec.jobTemplate.spec.template.spec.restartPolicy');
  };
  return { prepareCreate: prepare, prepareUpdate: prepare };
})();

/** Workload kinds: the defaults of their strategies, and pod template defaults. */
export const workloadHooks = {
  deployment: workload(deploymentDefaults),
  replicaSet: workload((spec) => { spec.replicas ??= 1; }),
  statefulSet: workload(statefulSetDefaults),
  daemonSet: workload(daemonSetDefaults),
  replicationController: workload((spec) => { spec.replicas ??= 1; }, false),
  podTemplate: { prepareCreate: (obj: KubeObject) => defaultTemplate(obj.template), prepareUpdate: (obj: KubeObject) => defaultTemplate(obj.template) } as KindHooks,
  job: jobHooks,
  cronJob: cronJobHooks,
};
