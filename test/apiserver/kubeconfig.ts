import { stringify } from 'yaml';

export interface KubeconfigInput {
  server: string;
  /** How the user authenticates: a bearer token, or a client certificate and its key (PEM). */
  user: { token: string } | { clientCertPem: string; clientKeyPem: string };
  caPem?: string;
  namespace?: string;
}

export const CLUSTER_NAME = 'test-cluster';
export const USER_NAME = 'test-user';
export const CONTEXT_NAME = 'test-cluster';

/** A kubeconfig with one cluster, one user (token or client certificate) and one current context. */
export function kubeconfigYaml(input: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: input.server };
  if (input.caPem) cluster['certificate-authority-data'] = Buffer.from(input.caPem).toString('base64');
  const context: Record<string, string> = { cluster: CLUSTER_NAME, user: USER_NAME };
  if (input.namespace) context.namespace = input.namespace;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: CLUSTER_NAME, cluster }],
    users: [{ name: USER_NAME, user: userEntry(input.user) }],
    contexts: [{ name: CONTEXT_NAME, context }],
    'current-context': CONTEXT_NAME,
    preferences: {},
  });
}

function userEntry(user: KubeconfigInput['user']): Record<string, string> {
  if ('token' in user) return { token: user.token };
  const b64 = (pem: string) => Buffer.from(pem).toString('base64');
  return { 'client-certificate-data': b64(user.clientCertPem), 'client-key-data': b64(user.clientKeyPem) };
}
