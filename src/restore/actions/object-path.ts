import { isRecord } from '../../kube/types.js';

/** The object at `path`, or undefined when any step is missing or not an object. */
export function recordAt(root: unknown, ...path: string[]): Record<string, unknown> | undefined {
  let current: unknown = root;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return isRecord(current) ? current : undefined;
}

/** The array at `path` with only its object elements, or [] when there is none. */
export function recordsAt(root: unknown, ...path: string[]): Record<string, unknown>[] {
  const parent = path.length > 1 ? recordAt(root, ...path.slice(0, -1)) : isRecord(root) ? root : undefined;
  const value = parent?.[path[path.length - 1]!];
  return Array.isArray(value) ? value.filter(isRecord) : [];
}
