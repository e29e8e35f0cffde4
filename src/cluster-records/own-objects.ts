import { isAlreadyExists, isNotFound } from '../kube/api-error.js';
import type { KubeClient } from '../kube/client.js';
import type { KubeList, KubeObject } from '../kube/types.js';
import { ownResourcePath, runIdAnnotation, type OwnResource } from '../install/api-group.js';
import { servedOwnResources } from '../install/installed.js';
import { getIfExists } from '../kube/get-if-exists.js';

/**
 * The objects of one of our resources in the tool namespace: the requests every client of
 * them makes. Subclasses read the objects into their own shape.
 */
export class OwnObjects {
  constructor(
    protected readonly client: KubeClient,
    readonly namespace: string,
    private readonly resource: OwnResource,
  ) {}

  /** False when the resource's CRD is not served: then there are no objects to read or write. */
  async available(): Promise<boolean> {
    return (await servedOwnResources(this.client)).has(this.resource);
  }

  /** Merge patch of the status subresource: only the fields given change. */
  async patchStatus(name: string, status: Record<string, unknown>): Promise<void> {
    await this.mergePatch(`${this.path(name)}/status`, { status });
  }

  /**
   * @param uid only the object with this uid: one created again under the name meanwhile is
   *   left (409 Conflict)
   * @returns false when there was no such object
   */
  async delete(name: string, uid?: string): Promise<boolean> {
    const preconditions = uid === undefined ? {} : { body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { uid } } };
    try {
      await this.client.json({ method: 'DELETE', path: this.path(name), ...preconditions });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Every object, or those matching the label selector. */
  protected async items(labelSelector?: string): Promise<KubeObject[]> {
    const list = await this.client.json<KubeList>({ method: 'GET', path: this.path(), ...(labelSelector !== undefined ? { query: { labelSelector } } : {}) });
    return list.items;
  }

  /** Undefined when there is no such object. */
  protected item(name: string): Promise<KubeObject | undefined> {
    return getIfExists<KubeObject>(this.client, this.path(name));
  }

  /**
   * Posts the object. A 409 AlreadyExists whose object carries the body's run id annotation is
   * the answer to a retry of this very POST, the first attempt's answer lost (a reset
   * connection): the object is there, and it is ours. Any other 409 is thrown.
   */
  protected async post(body: KubeObject): Promise<void> {
    try {
      await this.client.json({ method: 'POST', path: this.path(), body });
    } catch (err) {
      if (!isAlreadyExists(err)) throw err;
      const runId = body.metadata.annotations?.[runIdAnnotation];
      const existing = runId === undefined ? undefined : await this.item(body.metadata.name ?? '');
      if (existing === undefined || existing.metadata.annotations?.[runIdAnnotation] !== runId) throw err;
    }
  }

  /** Merge patch of the object: only the fields given change; `null` removes one. */
  protected async patch(name: string, body: Record<string, unknown>): Promise<void> {
    await this.mergePatch(this.path(name), body);
  }

  private async mergePatch(path: string, body: Record<string, unknown>): Promise<void> {
    await this.client.json({ method: 'PATCH', path, contentType: 'application/merge-patch+json', body });
  }

  private path(name?: string): string {
    return ownResourcePath(this.resource, this.namespace, name);
  }
}
