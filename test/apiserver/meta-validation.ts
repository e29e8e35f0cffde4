import { fieldInvalid, type FieldError } from './api-error.js';
import { validateAnnotations, validateLabels } from './name-validation.js';
import type { ObjectMeta } from './object-meta.js';

/** ValidateObjectMeta's checks of the client-set metadata: labels, annotations, ownerReferences. */
export function validateMeta(meta: ObjectMeta): FieldError[] {
  const errors = [
    ...validateLabels(meta.labels, 'metadata.labels'),
    ...validateAnnotations(meta.annotations, 'metadata.annotations'),
  ];
  const refs = meta.ownerReferences;
  if (refs !== undefined) {
    if (!Array.isArray(refs)) errors.push(fieldInvalid('metadata.ownerReferences', refs, 'must be a list'));
    else {
      let controllers = 0;
      for (const ref of refs) {
        if (!ref.apiVersion) errors.push(fieldInvalid('metadata.ownerReferences.apiVersion', '', 'version must not be empty'));
        if (!ref.kind) errors.push(fieldInvalid('metadata.ownerReferences.kind', '', 'kind must not be empty'));
        if (!ref.name) errors.push(fieldInvalid('metadata.ownerReferences.name', '', 'name must not be empty'));
        if (!ref.uid) errors.push(fieldInvalid('metadata.ownerReferences.uid', '', 'uid must not be empty'));
        if (ref.controller) controllers++;
      }
      if (controllers > 1) errors.push(fieldInvalid('metadata.ownerReferences', refs, 'Only one reference can have Controller set to true'));
    }
  }
  return errors;
}
