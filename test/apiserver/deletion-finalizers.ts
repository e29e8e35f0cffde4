import type { ResourceDef } from './resource-def.js';
import type { DeleteOptions } from './write-context.js';

const GC_FINALIZERS = ['orphan', 'foregroundDeletion'];

/** The garbage-collector finalizers a deletion adds, from the propagation policy asked for. */
export function finalizersForDeletion(sdef: ResourceDef, current: readonly string[], options: DeleteOptions): string[] {
  let policy = options.propagationPolicy;
  if (!policy && options.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Foreground';
  if (!policy) {
    if (current.some((f) => GC_FINALIZERS.includes(f))) return [...current];
    policy = sdef.defaultPropagation;
  }
  const rest = current.filter((f) => !GC_FINALIZERS.includes(f));
  if (policy === 'Orphan') return [...rest, 'orphan'];
  if (policy === 'Foreground') return [...rest, 'foregroundDeletion'];
  return rest;
}
