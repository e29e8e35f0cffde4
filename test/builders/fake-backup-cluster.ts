import type { Readable } from 'node:stream';
import { KubeApiError } from '../../src/kube/api-error.js';
import type { KubeClient, KubeRequest } from '../../src/kube/client.js';
import type { KubeObject } from '../../src/kube/types.js';

const base = '/apis/kubectl-backup.io/v1';

/**
 * Just enough of an API server for the `Backup` and `Restore` objects of one namespace, for
 * unit tests of what reads and deletes them. Integration tests use the real test server.
 */
export class FakeBackupCluster implements KubeClient {
  readonly server = 'https://fake.example';
  readonly objects = new Map<string, KubeObject>();
  /** The Restore objects, name → uid: a DELETE with another uid's precondition is refused (409). */
  readonly restoreObjects = new Map<string, string>();
  readonly requests: string[] = [];

  constructor(
    private readonly namespace = 'kubectl-backup',
    public installed = true,
  ) {}

  /** A `Backup` object as the sink writes it; with a uid, a DELETE with another uid's precondition is refused (409). */
  put(name: string, spec: Record<string, unknown>, status: Record<string, unknown>, labels: Record<string, string> = {}, annotations: Record<string, string> = {}, uid?: string): void {
    const metadata = { name, namespace: this.namespace, labels, annotations, creationTimestamp: new Date().toISOString(), ...(uid !== undefined ? { uid } : {}) };
    this.objects.set(name, { apiVersion: 'kubectl-backup.io/v1', kind: 'Backup', metadata, spec, status });
  }

  async json<T>(req: KubeRequest): Promise<T> {
    this.requests.push(`${req.method} ${req.path}`);
    if (req.path === base) {
      if (!this.installed) throw new KubeApiError(404, req.method, req.path, { reason: 'NotFound' });
      return { resources: [{ name: 'backups' }, { name: 'restores' }, { name: 'backupstoragelocations' }] } as T;
    }
    const collection = `${base}/namespaces/${this.namespace}/backups`;
    const restores = `${base}/namespaces/${this.namespace}/restores/`;
    if (req.path.startsWith(restores) && req.method === 'DELETE') {
      const name = req.path.slice(restores.length);
      const uid = this.restoreObjects.get(name);
      if (uid === undefined) throw new KubeApiError(404, req.method, req.path, { reason: 'NotFound' });
      refuseOtherUid(req, uid);
      this.restoreObjects.delete(name);
      return {} as T;
    }
    if (req.path === collection && req.method === 'GET') return { items: [...this.objects.values()] } as T;
    if (req.path.startsWith(`${collection}/`)) {
      const name = decodeURIComponent(req.path.slice(collection.length + 1));
      const object = this.objects.get(name);
      if (!object) throw new KubeApiError(404, req.method, req.path, { reason: 'NotFound' });
      if (req.method === 'GET') return structuredClone(object) as T;
      if (req.method === 'DELETE') {
        refuseOtherUid(req, object.metadata.uid);
        this.objects.delete(name);
        return {} as T;
      }
    }
    throw new Error(`fake cluster: ${req.method} ${req.path} is not served`);
  }

  stream(): Promise<Readable> {
    throw new Error('fake cluster: no streams');
  }
}

/** A DELETE whose uid precondition names another object than the one under the name: 409, as the API server answers. */
function refuseOtherUid(req: KubeRequest, uid: string | undefined): void {
  const precondition = (req.body as { preconditions?: { uid?: string } } | undefined)?.preconditions?.uid;
  if (precondition !== undefined && precondition !== uid) throw new KubeApiError(409, req.method, req.path, { reason: 'Conflict' });
}
