import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { HttpKubeClient, type HttpKubeClientOptions, type KubeClient } from './client.js';
import type { ConnectionOptions } from './connection.js';

export interface Cluster {
  client: KubeClient;
  kubeConfig: KubeConfig;
}

/** The one place that turns the common flags into a client of the API server. */
export async function connectCluster(options: ConnectionOptions, clientOptions: HttpKubeClientOptions = {}): Promise<Cluster> {
  // Loaded on first use: kubeconfig handling pulls in a large library that --help never needs.
  const { endpointFromKubeConfig, loadKubeConfig } = await import('./connection.js');
  const kubeConfig = loadKubeConfig(options);
  const endpoint = await endpointFromKubeConfig(kubeConfig);
  return { client: new HttpKubeClient(endpoint, clientOptions), kubeConfig };
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
