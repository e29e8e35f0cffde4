import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  token: string;
  caPem?: string;
  namespace?: string;
}

export const CLUSTER_NAME = 'test-cluster';
export const USER_NAME = 'test-user';
export const CONTEXT_NAME = 'test-cluster';

/** A kubeconfig with one cluster, one bearer-token user and one current context. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: input.server };
  if (input.caPem) cluster['certificate-authority-data'] = Buffer.from(input.caPem).toString('base64');
  const context: Record<string, string> = { cluster: CLUSTER_NAME, user: USER_NAME };
  if (input.namespace) context.namespace = input.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CLUSTER_NAME, cluster }],
    users: [{ name: USER_NAME, user: { token: input.token } }],
    contexts: [{ name: CONTEXT_NAME, context }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}
