import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { HttpKubeClient, type HttpKubeClientOptions, type KubeClient } from './client.js';
import type { ConnectionOptions } from './connection.js';

export interface Cluster {
  client: KubeClient;
  /**
   * The same server through connections of its own, for status writes: a restore keeps every
   * connection of `client` busy with its creates, and an interrupted one must still mark its
   * Restore object Failed before it exits, not wait behind creates the server holds.
   */
  statusClient: KubeClient;
  kubeConfig: KubeConfig;
}

const statusSockets = 2;

/** The one place that turns the common flags into a client of the API server. */
export async function connectCluster(options: ConnectionOptions, clientOptions: HttpKubeClientOptions = {}): Promise<Cluster> {
  // Loaded on first use: kubeconfig handling pulls in a large library that --help never needs.
  const { endpointFromKubeConfig, loadKubeConfig } = await import('./connection.js');
  const kubeConfig = loadKubeConfig(options);
  const endpoint = await endpointFromKubeConfig(kubeConfig);
  let statusClient: KubeClient | undefined;
  return {
    client: new HttpKubeClient(endpoint, clientOptions),
    // Made when asked for: only a restore writes status next to its own requests.
    get statusClient() {
      return (statusClient ??= new HttpKubeClient(endpoint, { ...clientOptions, maxSockets: statusSockets }));
    },
    kubeConfig,
  };
}

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion: string;
  platform?: string;
  [key: string]: unknown;
}

export async function serverVersion(client: KubeClient): Promise<ServerVersion> {
  return client.json<ServerVersion>({ method: 'GET', path: '/version' });
}
