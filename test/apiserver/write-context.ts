import type { FieldError } from './api-error.js';
import type { KubeObject } from './object-meta.js';
import type { ResourceDef } from './resource-def.js';

/** Who writes and how: the field manager, dry run, and the subresource written through. */
export interface WriteContext {
  manager: string;
  dryRun: boolean;
  subresource?: 'status' | 'finalize' | 'scale' | 'binding';
  operation?: 'Update' | 'Apply';
}

export interface DeleteOptions {
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  gracePeriodSeconds?: number;
  dryRun?: boolean;
}

/** What a kind's hook may ask of the cluster (lookups and follow-up writes). */
export interface HookHost {
  exists(storage: string, namespace: string, name: string): boolean;
  /** The stored objects of a storage, as stored (for admission plugins that look at a few). */
  storedObjects(storage: string): KubeObject[];
  /** Creates an object as a controller would, ignoring AlreadyExists. */
  createInternal(obj: KubeObject, manager: string): void;
  readonly caPem: string;
}

export interface HookContext {
  def: ResourceDef;
  write: WriteContext;
  host: HookHost;
}

/**
 * Kind-specific behaviour of the real server's strategies and admission plugins: defaults,
 * validation, allocations, and the objects controllers create alongside.
 */
export interface KindHooks {
  prepareCreate?(obj: KubeObject, ctx: HookContext): FieldError[] | void;
  prepareUpdate?(obj: KubeObject, old: KubeObject, ctx: HookContext): FieldError[] | void;
  /** Runs after a create was stored (never on dry runs). */
  afterCreate?(obj: KubeObject, ctx: HookContext): void;
  /** Runs once the object is gone from storage. */
  afterDelete?(obj: KubeObject, ctx: HookContext): void;
}
