import { fieldInvalid, fieldNotSupported, fieldRequired, type FieldError } from './api-error.js';
import { asArray, asObject, asString, isObject } from './json.js';
import { isDns1123Label, isDns1123Subdomain } from './name-validation.js';
import type { KubeObject } from './object-meta.js';
import type { KindHooks } from './write-context.js';

function validate(crd: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const spec = asObject(crd.spec);
  if (!spec) return [fieldRequired('spec')];
  const group = asString(spec.group) ?? '';
  const names = asObject(spec.names) ?? {};
  const plural = asString(names.plural) ?? '';
  const kind = asString(names.kind) ?? '';
  if (!group) errors.push(fieldRequired('spec.group'));
  else if (!isDns1123Subdomain(group) || !group.includes('.')) errors.push(fieldInvalid('spec.group', group, 'should be a domain with at least one dot'));
  if (!plural) errors.push(fieldRequired('spec.names.plural'));
  else if (!isDns1123Label(plural)) errors.push(fieldInvalid('spec.names.plural', plural, 'a lowercase RFC 1123 label must consist of lower case alphanumeric characters or \'-\', and must start and end with an alphanumeric character'));
  if (!kind) errors.push(fieldRequired('spec.names.kind'));
  if (!asString(names.listKind) && kind) names.listKind = `${kind}List`;
  if (!asString(names.singular) && kind) names.singular = kind.toLowerCase();
  spec.names = names;
  if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster') errors.push(fieldNotSupported('spec.scope', spec.scope ?? '', ['Cluster', 'Namespaced']));
  const versions = (asArray(spec.versions) ?? []).filter(isObject);
  if (versions.length === 0) errors.push(fieldRequired('spec.versions', 'must have exactly one version marked as storage version'));
  else if (versions.filter((v) => v.storage === true).length !== 1) {
    errors.push(fieldInvalid('spec.versions', versions.map((v) => v.name), 'must have exactly one version marked as storage version'));
  }
  if (crd.metadata.name !== `${plural}.${group}`) {
    errors.push(fieldInvalid('metadata.name', crd.metadata.name ?? '', 'must be spec.names.plural+"."+spec.group'));
  }
  spec.conversion ??= { strategy: 'None' };
  return errors;
}

/** CustomResourceDefinitions: validation and defaults; the CRD controller does the rest. */
export const crdHooks: KindHooks = {
  prepareCreate(obj) {
    return validate(obj);
  },
  prepareUpdate(obj, old) {
    const errors = validate(obj);
    const scope = asObject(obj.spec)?.scope;
    const oldScope = asObject(old.spec)?.scope;
    if (scope !== oldScope) errors.push(fieldInvalid('spec.scope', scope ?? '', 'field is immutable'));
    return errors;
  },
};
