import { fieldInvalid, fieldRequired, type FieldError } from './api-error.js';
import { isObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import type { KindHooks } from './write-context.js';

function selectorMatchesTemplate(obj: KubeObject): FieldError[] {
  const spec = isObject(obj.spec) ? obj.spec : undefined;
  if (!spec) return [fieldRequired('spec')];
  const selector = isObject(spec.selector) ? spec.selector : undefined;
  if (!selector) return [fieldRequired('spec.selector')];
  const matchLabels = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const template = isObject(spec.template) ? spec.template : {};
  const labels = isObject(template.metadata) && isObject(template.metadata.labels) ? template.metadata.labels : {};
  for (const [k, v] of Object.entries(matchLabels)) {
    if (labels[k] !== v) {
      return [fieldInvalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`')];
    }
  }
  return [];
}

function deploymentDefaults(spec: JsonObject): void {
  spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  spec.progressDeadlineSeconds ??= 600;
  spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
}

/** apps/v1 workloads: the defaults and the selector/template check of their strategies. */
export const workloadHooks: Record<'deployment', KindHooks> = {
  deployment: {
    prepareCreate(obj) {
      if (isObject(obj.spec)) deploymentDefaults(obj.spec);
      return selectorMatchesTemplate(obj);
    },
    prepareUpdate(obj) {
      if (isObject(obj.spec)) deploymentDefaults(obj.spec);
      return selectorMatchesTemplate(obj);
    },
  },
};
