import type { KubeObject } from '../../kube/types.js';

/** What per-kind actions may know about the restore. */
export interface ActionContext {
  /** Target namespace of a source namespace (`--namespace-mappings`). */
  mapNamespace(namespace: string): string;
  /** `--preserve-nodeports`. */
  preserveNodePorts: boolean;
  /** Whether the backup holds a service-account token Secret of that name in that (source) namespace. */
  isTokenSecret(namespace: string, name: string): boolean;
  /** Whether the backup holds the PersistentVolume of that name and no restore makes it (reclaim policy Delete): its claims get a new volume. */
  provisionsVolumeAnew(name: string): boolean;
}

/**
 * One change made to the items of one kind on their way into the cluster (restore.md, table
 * "per kind"). Actions run after the server-set fields are stripped and before the item's own
 * namespace is mapped, so they see the source namespace; they mutate the item, which is the
 * restore's own copy.
 */
export interface RestoreAction {
  /** API group of the kinds, '' for the core group. */
  readonly group: string;
  readonly kinds: readonly string[];
  apply(item: KubeObject, context: ActionContext): void;
}
