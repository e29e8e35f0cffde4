import { randomUUID } from 'node:crypto';
import {
  alreadyExists, ApiError, badRequest, conflict, fieldForbidden, fieldInvalid, fieldRequired, forbidden, invalid,
  notFound, STALE_OBJECT, unsupportedMediaType, type FieldError, type GroupResource,
} from './api-error.js';
import { ContinueTokens } from './continue-tokens.js';
import { finalizersForDeletion } from './deletion-finalizers.js';
import { deepEqual, getPath, isObject, type JsonObject } from './json.js';
import { kindHooks } from './kind-hooks.js';
import { managedFieldsOnCreate, managedFieldsOnUpdate, nowTimestamp, type FieldScope } from './managed-fields.js';
import { validateMeta } from './meta-validation.js';
import { generateNameProblems, nameProblems } from './name-validation.js';
import type { KubeObject, ObjectMeta } from './object-meta.js';
import { conversionFor, toKube } from './object-rendering.js';
import { ObjectStore } from './object-store.js';
import { applyPatch, parsePatchBody, type PatchType } from './patch-application.js';
import { randomSuffix } from './random-name.js';
import { groupVersion, hasSubresource, storageKey, type ResourceDef } from './resource-def.js';
import { ResourceRegistry, type ResolvedResource } from './resource-registry.js';
import { ServiceAllocator } from './service-allocator.js';
import { buildStored } from './stored-object-builder.js';
import { parseStored, type StoredObject } from './stored-object.js';
import { WatchHub } from './watch-hub.js';
import type { DeleteOptions, HookContext, HookHost, KindHooks, WriteContext } from './write-context.js';

export interface ClusterOptions {
  continueTokenTtlMs: number;
  watchHistorySize: number;
  caPem: string;
}


export interface DeleteResult {
  object: StoredObject;
  /** True when the object is gone; false when deletion waits on finalizers. */
  deleted: boolean;
}

const NAMESPACES = storageKey('', 'namespaces');
/** The NamespaceLifecycle admission plugin refuses to delete these. */
const PROTECTED_NAMESPACES = ['default', 'kube-system', 'kube-public'];
/** Kinds whose status a creator may set (kubelets register nodes with status). */
const KEEP_STATUS_ON_CREATE = new Set([storageKey('', 'nodes')]);

function gr(def: ResourceDef): GroupResource {
  return { group: def.group, resource: def.plural };
}

const CRD_STORAGE_KEY = storageKey('apiextensions.k8s.io', 'customresourcedefinitions');

/**
 * The API objects and the rules every write follows: what the real server's generic
 * registry, strategies and admission plugins do, without HTTP.
 */
export class Cluster implements HookHost {
  readonly registry = new ResourceRegistry();
  readonly store = new ObjectStore();
  readonly watches: WatchHub;
  readonly tokens: ContinueTokens;
  readonly allocator = new ServiceAllocator();
  readonly caPem: string;
  private readonly hooks: Record<string, KindHooks>;

  constructor(options: ClusterOptions) {
    this.watches = new WatchHub(this.store, options.watchHistorySize);
    this.tokens = new ContinueTokens(options.continueTokenTtlMs);
    this.caPem = options.caPem;
    this.hooks = kindHooks(this.allocator);
  }

  /** The resource that owns the storage a resource's objects live in. */
  storageDef(def: ResourceDef): ResourceDef {
    if (def.storage === storageKey(def.group, def.plural)) return def;
    return this.defForStorage(def.storage) ?? def;
  }

  defForStorage(storage: string): ResourceDef | undefined {
    const cut = storage.indexOf('/');
    return this.registry.get(storage.slice(0, cut), storage.slice(cut + 1));
  }

  exists(storage: string, namespace: string, name: string): boolean {
    return this.store.get(storage, namespace, name) !== undefined;
  }

  storedObjects(storage: string): KubeObject[] {
    return [...(this.store.collection(storage).items.values())].map(parseStored);
  }

  getStored(r: ResolvedResource, namespace: string, name: string): StoredObject {
    const stored = this.store.get(r.def.storage, r.def.namespaced ? namespace : '', name);
    if (!stored) throw notFound(gr(r.def), name);
    return stored;
  }

  get(r: ResolvedResource, namespace: string, name: string): KubeObject {
    return toKube(r, this.getStored(r, namespace, name));
  }

  createInternal(obj: KubeObject, manager: string): void {
    const r = this.registry.byKind(obj.apiVersion ?? 'v1', obj.kind ?? '');
    if (!r) throw new Error(`no resource for ${obj.apiVersion}/${obj.kind}`);
    try {
      this.create(r, obj.metadata.namespace ?? '', obj, { manager, dryRun: false });
    } catch (err) {
      if (!(err instanceof ApiError && err.reason === 'AlreadyExists')) throw err;
    }
  }

  private hookContext(def: ResourceDef, write: WriteContext): HookContext {
    return { def, write, host: this };
  }

  // ---- create ----

  create(r: ResolvedResource, namespace: string, input: KubeObject, ctx: WriteContext): StoredObject {
    const { def } = r;
    const sdef = this.storageDef(def);
    const gv = groupVersion(def.group, r.version.name);
    if (!isObject(input.metadata)) input.metadata = {};
    const meta = input.metadata;
    this.checkTypeMeta(r, input, meta.name ?? '');
    const ns = this.requestNamespace(def, namespace, meta);
    if (meta.resourceVersion) {
      throw new ApiError(500, 'InternalError', 'Internal error occurred: resourceVersion should not be set on objects to be created');
    }
    if (def.namespaced) this.checkNamespaceAcceptsContent(def, ns, meta.name ?? '');
    // As the custom resource handler: none is made once its CRD is being deleted.
    if (!def.builtIn && this.store.get(CRD_STORAGE_KEY, '', `${def.plural}.${def.group}`)?.deleting) {
      throw new ApiError(405, 'MethodNotAllowed', 'create not allowed while custom resource definition is terminating');
    }

    let generated = false;
    if (!meta.name) {
      if (meta.generateName) {
        const problems = generateNameProblems(meta.generateName, def.nameRule);
        if (problems.length > 0) {
          throw invalid(def.group, def.kind, '', problems.map((p) => fieldInvalid('metadata.generateName', meta.generateName, p)));
        }
        meta.name = `${meta.generateName}${randomSuffix()}`;
        generated = true;
      } else {
        throw invalid(def.group, def.kind, '', [fieldRequired('metadata.name', 'name or generateName is required')]);
      }
    }
    const name = meta.name;
    const errors: FieldError[] = nameProblems(name, def.nameRule).map((p) => fieldInvalid('metadata.name', name, p));
    errors.push(...validateMeta(meta));
    if (errors.length > 0) throw invalid(def.group, def.kind, name, errors);

    const conversion = conversionFor(def);
    const obj = conversion ? conversion.toStorage(input) : input;
    const m = obj.metadata;
    m.uid = randomUUID();
    m.creationTimestamp = nowTimestamp();
    if (sdef.hasGeneration) m.generation = 1;
    else delete m.generation;
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
    delete m.selfLink;
    if (hasSubresource(def, r.version.name, 'status') && !KEEP_STATUS_ON_CREATE.has(sdef.storage)) delete obj.status;
    for (const f of sdef.protectionFinalizers) {
      m.finalizers = m.finalizers ?? [];
      if (!m.finalizers.includes(f)) m.finalizers.push(f);
    }

    // As the real server's Store.Create: defaulting, validation and allocation (a Service's node
    // ports) come before the name is found taken, so that creating an object that exists can
    // fail with 422 (a port its own existing copy holds) rather than 409; what was allocated
    // for it is given back.
    const hooks = this.hooks[sdef.storage];
    const hookErrors = hooks?.prepareCreate?.(obj, this.hookContext(sdef, ctx)) ?? [];
    if (hookErrors.length > 0) throw invalid(def.group, def.kind, name, hookErrors);

    if (this.store.get(sdef.storage, ns, name)) {
      hooks?.afterDelete?.(obj, this.hookContext(sdef, ctx));
      const err = alreadyExists(gr(def), name);
      if (generated) {
        throw new ApiError(409, 'AlreadyExists', `${err.message}, the server was not able to generate a unique name for the object`, err.details);
      }
      throw err;
    }

    m.managedFields = managedFieldsOnCreate(obj, {
      manager: ctx.manager, operation: ctx.operation ?? 'Update', apiVersion: gv,
    }, this.fieldScope(r));
    if (m.managedFields.length === 0) delete m.managedFields;

    if (ctx.dryRun) {
      hooks?.afterDelete?.(obj, this.hookContext(sdef, ctx));
      return buildStored(sdef, obj, 0);
    }
    const stored = this.commit(sdef, obj);
    hooks?.afterCreate?.(parseStored(stored), this.hookContext(sdef, ctx));
    return stored;
  }

  private fieldScope(r: ResolvedResource, subresource?: string): FieldScope {
    if (subresource === 'status') return 'status';
    return hasSubresource(r.def, r.version.name, 'status') ? 'main' : 'all';
  }

  private checkTypeMeta(r: ResolvedResource, obj: KubeObject, name: string): void {
    const gv = groupVersion(r.def.group, r.version.name);
    if (obj.apiVersion !== undefined && obj.apiVersion !== '' && obj.apiVersion !== gv) {
      throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${gv})`);
    }
    if (obj.kind !== undefined && obj.kind !== '' && obj.kind !== r.def.kind) {
      throw invalid(r.def.group, r.def.kind, name, [fieldInvalid('kind', obj.kind, `must be ${r.def.kind}`)]);
    }
  }

  /** EnsureObjectNamespaceMatchesRequestNamespace: defaulted, cleared for cluster scope, or a 400. */
  private requestNamespace(def: ResourceDef, namespace: string, meta: ObjectMeta): string {
    if (!def.namespaced) {
      delete meta.namespace;
      return '';
    }
    if (meta.namespace && meta.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = namespace;
    return namespace;
  }

  /** The NamespaceLifecycle admission plugin. */
  private checkNamespaceAcceptsContent(def: ResourceDef, namespace: string, name: string): void {
    const ns = this.store.get(NAMESPACES, '', namespace);
    if (!ns) throw notFound({ group: '', resource: 'namespaces' }, namespace);
    if (ns.deleting) {
      const err = forbidden(gr(def), name, `unable to create new content in namespace ${namespace} because it is being terminated`);
      if (err.details) err.details.causes = [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }];
      throw err;
    }
  }

  // ---- storage ----

  private commit(sdef: ResourceDef, obj: KubeObject): StoredObject {
    const stored = buildStored(sdef, obj, this.store.nextRv());
    this.store.put(sdef.storage, stored);
    return stored;
  }

  /** Takes an object out of storage; its last state carries the deletion's resourceVersion. */
  private removeNow(sdef: ResourceDef, obj: KubeObject): StoredObject {
    const last = buildStored(sdef, obj, this.store.nextRv());
    this.store.remove(sdef.storage, last);
    this.hooks[sdef.storage]?.afterDelete?.(obj, this.hookContext(sdef, { manager: '', dryRun: false }));
    return last;
  }

  /**
   * Expires every continue token issued so far, as an etcd compaction does. A resourceVersion
   * is consumed so that lists started afterwards are not at a compacted revision.
   */
  expireContinueTokens(): void {
    this.tokens.expireAll();
    this.store.nextRv();
  }

  /**
   * The resourceVersion a new list is read at. When the current one's tokens are stale by age, a
   * periodic compaction has happened since it was current, which every older resourceVersion's
   * tokens are stale by too: it is made here, and its own write consumes a resourceVersion.
   * Without that, a quiet cluster would answer every new list with a token that is already expired.
   */
  listRv(): number {
    if (this.tokens.outlived(this.store.currentRv())) this.expireContinueTokens();
    return this.store.currentRv();
  }

  /** Stores an object as given, with no server-set metadata (synthetic objects such as ComponentStatuses). */
  putStatic(def: ResourceDef, obj: KubeObject): void {
    this.store.put(def.storage, buildStored(def, obj, 0));
  }

  // ---- update ----

  update(r: ResolvedResource, namespace: string, name: string, input: KubeObject, ctx: WriteContext): StoredObject {
    if (!isObject(input.metadata)) input.metadata = {};
    const meta = input.metadata;
    this.checkTypeMeta(r, input, name);
    if (meta.name && meta.name !== name) {
      throw badRequest(`the name of the object (${meta.name}) does not match the name on the URL (${name})`);
    }
    meta.name = name;
    const ns = this.requestNamespace(r.def, namespace, meta);
    const existing = this.store.get(r.def.storage, ns, name);
    if (!existing) {
      if (this.storageDef(r.def).allowCreateOnUpdate && !ctx.subresource) {
        delete meta.resourceVersion;
        return this.create(r, ns, input, ctx);
      }
      throw notFound(gr(r.def), name);
    }
    // The custom resource strategy allows no unconditional update: a PUT must name the version it replaces.
    if (!r.def.builtIn && !meta.resourceVersion) {
      throw invalid(r.def.group, r.def.kind, name, [fieldInvalid('metadata.resourceVersion', '0x0', 'must be specified for an update')]);
    }
    const conversion = conversionFor(r.def);
    return this.applyUpdate(r, existing, conversion ? conversion.toStorage(input) : input, ctx);
  }

  /** The generic registry's update: preconditions, server-owned fields, validation, generation, managedFields. */
  private applyUpdate(r: ResolvedResource, existing: StoredObject, incoming: KubeObject, ctx: WriteContext): StoredObject {
    const { def } = r;
    const sdef = this.storageDef(def);
    const old = parseStored(existing);
    const inMeta = incoming.metadata;
    if (inMeta.resourceVersion && inMeta.resourceVersion !== String(existing.rv)) {
      throw conflict(gr(def), existing.name, STALE_OBJECT);
    }
    if (inMeta.uid && inMeta.uid !== existing.uid) {
      throw conflict(gr(def), existing.name, `Precondition failed: UID in precondition: ${inMeta.uid}, UID in object meta: ${existing.uid}`);
    }

    let next: KubeObject;
    const errors: FieldError[] = [];
    if (ctx.subresource === 'status') {
      next = { ...structuredClone(old) };
      if (incoming.status === undefined) delete next.status;
      else next.status = incoming.status;
    } else if (ctx.subresource === 'binding') {
      next = structuredClone(old);
      const spec = isObject(next.spec) ? next.spec : {};
      const node = getPath(incoming, ['spec', 'nodeName']);
      if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
        throw conflict(gr(def), existing.name, `pod ${existing.name} is already assigned to node "${spec.nodeName}"`);
      }
      spec.nodeName = typeof node === 'string' ? node : '';
      next.spec = spec;
    } else if (ctx.subresource === 'finalize') {
      next = structuredClone(old);
      const spec = isObject(next.spec) ? next.spec : {};
      const finalizers = getPath(incoming, ['spec', 'finalizers']);
      if (Array.isArray(finalizers) && finalizers.length > 0) spec.finalizers = finalizers;
      else delete spec.finalizers;
      next.spec = spec;
    } else {
      next = { ...incoming, metadata: { ...inMeta } };
      delete next.kind;
      delete next.apiVersion;
      if (hasSubresource(def, r.version.name, 'status')) {
        if (old.status === undefined) delete next.status;
        else next.status = old.status;
      }
      const m = next.metadata;
      m.name = old.metadata.name;
      m.namespace = old.metadata.namespace;
      if (!def.namespaced) delete m.namespace;
      m.uid = old.metadata.uid;
      m.creationTimestamp = old.metadata.creationTimestamp;
      m.generation = old.metadata.generation;
      m.deletionTimestamp = old.metadata.deletionTimestamp;
      m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
      errors.push(...validateMeta(m));
      // Defaults (in the hooks) come before the immutability check, as on the real server.
      const hookErrors = this.hooks[sdef.storage]?.prepareUpdate?.(next, old, this.hookContext(sdef, ctx)) ?? [];
      errors.push(...hookErrors);
      for (const path of sdef.immutableFields) {
        const before = getPath(old, path.split('.'));
        const after = getPath(next, path.split('.'));
        if (before !== undefined && !deepEqual(before, after)) errors.push(fieldInvalid(path, after ?? null, 'field is immutable'));
      }
      if (old.metadata.deletionTimestamp) {
        const added = (m.finalizers ?? []).filter((f) => !(old.metadata.finalizers ?? []).includes(f));
        if (added.length > 0) {
          errors.push(fieldForbidden('metadata.finalizers', `no new finalizers can be added if the object is being deleted, found new finalizers []string{${added.map((f) => JSON.stringify(f)).join(', ')}}`));
        }
      }
    }
    if (errors.length > 0) throw invalid(def.group, def.kind, existing.name, errors);

    for (const key of Object.keys(next.metadata)) if (next.metadata[key] === undefined) delete next.metadata[key];
    if (sdef.hasGeneration && !ctx.subresource && specChanged(old, next)) {
      next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    next.metadata.managedFields = managedFieldsOnUpdate(old, next, {
      manager: ctx.manager, operation: ctx.operation ?? 'Update', apiVersion: groupVersion(def.group, r.version.name),
      subresource: ctx.subresource === 'status' ? 'status' : undefined,
    }, this.fieldScope(r, ctx.subresource));
    if (next.metadata.managedFields.length === 0) delete next.metadata.managedFields;

    if (sameContent(old, next)) return existing;
    if (ctx.dryRun) return buildStored(sdef, next, existing.rv);
    if (next.metadata.deletionTimestamp && this.finalized(sdef, next)) return this.removeNow(sdef, next);
    return this.commit(sdef, next);
  }

  private finalized(sdef: ResourceDef, obj: KubeObject): boolean {
    if ((obj.metadata.finalizers ?? []).length > 0) return false;
    if (sdef.storage === NAMESPACES) {
      const specFinalizers = getPath(obj, ['spec', 'finalizers']);
      return !Array.isArray(specFinalizers) || specFinalizers.length === 0;
    }
    return true;
  }

  /** Read-modify-write by a controller (no preconditions, no conflicts: writes are serial). */
  mutate(def: ResourceDef, namespace: string, name: string, change: (obj: KubeObject) => void, ctx: WriteContext): StoredObject | undefined {
    const existing = this.store.get(def.storage, def.namespaced ? namespace : '', name);
    if (!existing) return undefined;
    const r = this.resolvedAtStorageVersion(def);
    const obj = toKube(r, existing);
    change(obj);
    delete obj.metadata.resourceVersion;
    return this.applyUpdate(r, existing, obj, ctx);
  }

  resolvedAtStorageVersion(def: ResourceDef): ResolvedResource {
    const version = def.versions.find((v) => v.name === def.storageVersion) ?? def.versions[0];
    if (!version) throw new Error(`${def.plural} has no version`);
    return { def, version };
  }

  // ---- patch ----

  patch(r: ResolvedResource, namespace: string, name: string, type: PatchType, raw: string, ctx: WriteContext): StoredObject {
    const ns = r.def.namespaced ? namespace : '';
    const existing = this.store.get(r.def.storage, ns, name);
    const patchBody = parsePatchBody(type, raw);
    if (type === 'strategic' && !r.def.builtIn) {
      throw unsupportedMediaType(['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml']);
    }
    if (!existing) {
      if (type === 'apply' && isObject(patchBody)) {
        const obj = patchBody as unknown as KubeObject;
        if (!isObject(obj.metadata)) obj.metadata = {};
        if (obj.metadata.name && obj.metadata.name !== name) {
          throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
        }
        obj.metadata.name = name;
        return this.create(r, ns, obj, { ...ctx, operation: 'Apply' });
      }
      throw notFound(gr(r.def), name);
    }
    const current = toKube(r, existing) as unknown as JsonObject;
    const result = applyPatch(type, current, patchBody);
    if (!isObject(result)) throw badRequest('the patched object is not an object');
    const patched = result as unknown as KubeObject;
    if (!isObject(patched.metadata)) patched.metadata = {};
    if (patched.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(patched.metadata.name)}) does not match the name on the URL (${name})`);
    }
    this.checkTypeMeta(r, patched, name);
    const conversion = conversionFor(r.def);
    return this.applyUpdate(r, existing, conversion ? conversion.toStorage(patched) : patched, {
      ...ctx, operation: type === 'apply' ? 'Apply' : 'Update',
    });
  }

  // ---- delete ----

  delete(r: ResolvedResource, namespace: string, name: string, options: DeleteOptions, ctx: WriteContext): DeleteResult {
    const { def } = r;
    const sdef = this.storageDef(def);
    const existing = this.getStored(r, namespace, name);
    const pre = options.preconditions;
    if (pre?.uid && pre.uid !== existing.uid) {
      throw conflict(gr(def), name, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${existing.uid}`);
    }
    if (pre?.resourceVersion && pre.resourceVersion !== String(existing.rv)) {
      throw conflict(gr(def), name, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${existing.rv}`);
    }
    const obj = parseStored(existing);
    const meta = obj.metadata;
    const added = existing.deleting ? [] : sdef.deletionFinalizers.filter((f) => !(meta.finalizers ?? []).includes(f));
    const finalizers = [...finalizersForDeletion(sdef, meta.finalizers ?? [], options), ...added];
    if (ctx.dryRun) return { object: existing, deleted: !existing.deleting && finalizers.length === 0 && sdef.storage !== NAMESPACES };

    if (sdef.storage === NAMESPACES) {
      if (PROTECTED_NAMESPACES.includes(name)) throw forbidden(gr(def), name, 'this namespace may not be deleted');
      if (existing.deleting) return { object: existing, deleted: false };
      meta.deletionTimestamp = nowTimestamp();
      meta.deletionGracePeriodSeconds = 0;
      meta.finalizers = finalizers.length > 0 ? finalizers : undefined;
      obj.status = { ...(isObject(obj.status) ? obj.status : {}), phase: 'Terminating' };
      if (this.finalized(sdef, obj)) return { object: this.removeNow(sdef, obj), deleted: true };
      return { object: this.commit(sdef, obj), deleted: false };
    }

    if (existing.deleting) {
      if (deepEqual(finalizers, meta.finalizers ?? [])) return { object: existing, deleted: false };
      meta.finalizers = finalizers;
      if (this.finalized(sdef, obj)) return { object: this.removeNow(sdef, obj), deleted: true };
      return { object: this.commit(sdef, obj), deleted: false };
    }
    if (finalizers.length === 0) return { object: this.removeNow(sdef, obj), deleted: true };
    meta.finalizers = finalizers;
    meta.deletionTimestamp = nowTimestamp();
    meta.deletionGracePeriodSeconds = 0;
    if (sdef.hasGeneration) meta.generation = (meta.generation ?? 0) + 1;
    return { object: this.commit(sdef, obj), deleted: false };
  }

  /** Objects of a resource in a namespace ('' for all), in etcd's key order (`namespace/name` as bytes). */
  keysOf(def: ResourceDef, namespace: string): string[] {
    const c = this.store.collection(def.storage);
    const keys = c.sortedKeys();
    if (!def.namespaced || namespace === '') return keys;
    const [start, end] = c.namespaceRange(namespace);
    return keys.slice(start, end);
  }

  deleteCollection(
    r: ResolvedResource, namespace: string, matches: (o: StoredObject) => boolean, options: DeleteOptions, ctx: WriteContext,
  ): StoredObject[] {
    const out: StoredObject[] = [];
    const c = this.store.collection(r.def.storage);
    for (const key of this.keysOf(r.def, r.def.namespaced ? namespace : '')) {
      const stored = c.items.get(key);
      if (!stored || !matches(stored)) continue;
      try {
        out.push(this.delete(r, stored.namespace, stored.name, options, ctx).object);
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 404)) throw err;
      }
    }
    return out;
  }
}

function withoutMetaAndStatus(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, kind: _k, apiVersion: _a, ...rest } = obj;
  return rest;
}

function specChanged(old: KubeObject, next: KubeObject): boolean {
  return !deepEqual(withoutMetaAndStatus(old), withoutMetaAndStatus(next));
}

function sameContent(old: KubeObject, next: KubeObject): boolean {
  const strip = (o: KubeObject): Record<string, unknown> => {
    const { kind: _k, apiVersion: _a, ...rest } = o;
    const { resourceVersion: _rv, ...meta } = o.metadata;
    return { ...rest, metadata: meta };
  };
  return deepEqual(strip(old), strip(next));
}
