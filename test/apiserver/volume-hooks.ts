import { fieldForbidden } from './api-error.js';
import { deepEqual, isObject, type JsonObject } from './json.js';
import type { KubeObject } from './object-meta.js';
import type { KindHooks } from './write-context.js';

/** Fields of a PV's spec that are not its volume source, which may change after creation. */
const pvMutable = new Set(['capacity', 'accessModes', 'claimRef', 'persistentVolumeReclaimPolicy', 'storageClassName', 'mountOptions', 'volumeMode', 'nodeAffinity', 'volumeAttributesClassName']);

function specOf(obj: KubeObject): JsonObject {
  return isObject(obj.spec) ? obj.spec : {};
}

/**
 * PersistentVolumes, as the real strategy: Pending when made (the PV controller moves them on),
 * and a volume source that cannot change once set.
 */
export const persistentVolumeHooks: KindHooks = {
  prepareCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  prepareUpdate(obj, old) {
    const source = (spec: JsonObject) => Object.fromEntries(Object.entries(spec).filter(([key]) => !pvMutable.has(key)));
    if (!deepEqual(source(specOf(obj)), source(specOf(old)))) return [fieldForbidden('spec.persistentvolumesource', 'spec.persistentvolumesource is immutable after creation')];
    return [];
  },
};

/**
 * PersistentVolumeClaims, as the real strategy: Pending when made, and a spec that cannot change
 * but for its storage request, its volume attributes class, and the volume the binder names.
 */
export const persistentVolumeClaimHooks: KindHooks = {
  prepareCreate(obj) {
    obj.status = { phase: 'Pending' };
  },
  prepareUpdate(obj, old) {
    const fixed = (spec: JsonObject, volumeName: unknown) => {
      const { resources, volumeAttributesClassName: _class, volumeName: _volume, ...rest } = spec;
      const limits = isObject(resources) ? resources.limits : undefined;
      return { ...rest, limits, volumeName };
    };
    const before = specOf(old);
    const after = specOf(obj);
    // Binding names the volume once: from unset to a name is no change of the claim's own.
    const volumeName = before.volumeName === undefined || before.volumeName === '' ? after.volumeName : before.volumeName;
    if (!deepEqual(fixed(after, after.volumeName), fixed(before, volumeName))) {
      return [fieldForbidden('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
    }
    return [];
  },
};
