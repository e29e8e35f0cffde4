import { parse as parseYaml } from 'yaml';
import { badRequest } from './api-error.js';
import { isObject, type JsonObject, type JsonValue } from './json.js';
import { applyJsonPatch } from './json-patch.js';
import { applyMergePatch } from './merge-patch.js';
import { applyStrategicMergePatch, mergeApplied } from './strategic-merge-patch.js';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export function parsePatchBody(type: PatchType, raw: string): JsonValue {
  try {
    if (type === 'apply') return parseYaml(raw) as JsonValue;
    return JSON.parse(raw) as JsonValue;
  } catch (err) {
    throw badRequest(`error decoding patch: ${(err as Error).message}`);
  }
}

/** The object a patch of the given type turns `current` into. */
export function applyPatch(type: PatchType, current: JsonObject, patch: JsonValue): JsonValue {
  switch (type) {
    case 'json': return applyJsonPatch(current, patch);
    case 'merge': return applyMergePatch(current, patch);
    case 'strategic': return applyStrategicMergePatch(current, patch);
    case 'apply':
      if (!isObject(patch)) throw badRequest('error decoding YAML: the applied configuration must be an object');
      return mergeApplied(current, patch);
  }
}
