import type { KubeObject } from '../apiserver/index.js';

/** Objects to seed into the test API server for backup tests. */

export function configMap(namespace: string, name: string, labels: Record<string, string> = {}, data: Record<string, string> = { k: 'v' }): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels }, data };
}

export function secret(namespace: string, name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels }, type: 'Opaque', data: { password: Buffer.from('s3cret').toString('base64') } };
}

export function namespace(name: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels } };
}

export function persistentVolume(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name },
    spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: `/data/${name}` } },
  };
}

/** ~`bytes` of data, to make objects the size the benchmarks and quality.md talk about. */
export function payload(bytes: number): Record<string, string> {
  return { payload: 'x'.repeat(Math.max(0, bytes)) };
}

/**
 * A CRD `PLURAL.example.com` serving v1 and v2 (v2 stored, so preferred), namespaced or not.
 * Custom resources of it are built by `customResource`.
 */
export function crd(plural: string, kind: string, scope: 'Namespaced' | 'Cluster' = 'Namespaced'): KubeObject {
  const schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com` },
    spec: {
      group: 'example.com',
      scope,
      names: { plural, singular: kind.toLowerCase(), kind, listKind: `${kind}List`, shortNames: [`${kind.toLowerCase().slice(0, 2)}x`] },
      versions: [
        { name: 'v1', served: true, storage: false, schema },
        { name: 'v2', served: true, storage: true, schema },
      ],
    },
  };
}

export function customResource(kind: string, name: string, namespace?: string, labels: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'example.com/v2', kind, metadata: { name, ...(namespace ? { namespace } : {}), labels }, spec: { size: 3 } };
}
