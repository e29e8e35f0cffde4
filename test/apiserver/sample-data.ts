import type { KubeObject } from './object-meta.js';

/**
 * Named sets of objects the standalone server can start with (`--seed NAME`). The demo adds
 * its workloads here.
 */
export const SAMPLE_DATA: Record<string, () => KubeObject[]> = {
  empty: () => [],
  sample: () => [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'demo', labels: { app: 'demo' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'demo', labels: { app: 'demo' } }, data: { 'settings.yaml': 'greeting: hello\n' } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'app-credentials', namespace: 'demo', labels: { app: 'demo' } }, type: 'Opaque', stringData: { password: 'not-a-real-password' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }] } },
      },
    },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'demo', labels: { app: 'web' } }, spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80 }] } },
  ],
};
