import { endpointFromKubeConfig, loadKubeConfig } from '../src/kube/connection.js';

/**
 * How the plain contenders (the plain LIST, the plain create loop) reach the API server: what
 * the kubeconfig of the run resolves to through src/kube (client certificates, token, exec
 * plugins, CA, insecure-skip-tls-verify), worked out by the benchmark just before the contender
 * starts and written to its stdin as JSON, never into its arguments. The contender stays a
 * plain Node process that loads no kubeconfig library, so its time and memory are those of the
 * requests alone; an exec plugin's token is fetched once per contender run, which outlives no
 * benchmark.
 */
export interface EndpointHandoff {
  server: string;
  headers: Record<string, string>;
  /** PEM material in base64, as Node's TLS options take it once decoded. */
  tls: { ca?: string; cert?: string; key?: string; rejectUnauthorized?: boolean; servername?: string };
}

/** The endpoint of the current context of the kubeconfig that `env` points to (KUBECONFIG, else ~/.kube/config). */
export async function endpointHandoff(env: NodeJS.ProcessEnv): Promise<string> {
  const endpoint = await endpointFromKubeConfig(loadKubeConfig({ env }));
  const { ca, cert, key, rejectUnauthorized, servername } = endpoint.tls;
  const handoff: EndpointHandoff = {
    server: endpoint.server,
    headers: await endpoint.headers(),
    tls: {
      ...(ca ? { ca: ca.toString('base64') } : {}),
      ...(cert ? { cert: cert.toString('base64') } : {}),
      ...(key ? { key: key.toString('base64') } : {}),
      ...(rejectUnauthorized !== undefined ? { rejectUnauthorized } : {}),
      ...(servername !== undefined ? { servername } : {}),
    },
  };
  return JSON.stringify(handoff);
}

/**
 * Source of `handoffAgent(endpoint, options)` for the plain contenders' scripts (plain JavaScript
 * run with `node -e`, plain-list.ts and plain-create-loop.ts): the transport the server's scheme
 * needs, loaded alone (TLS adds a few MB to the peak RSS), and a keep-alive agent with the
 * handed-over TLS material.
 */
export const handoffAgentSource = `
function handoffAgent(endpoint, options) {
  const transport = require(endpoint.server.startsWith('https:') ? 'node:https' : 'node:http');
  const tls = {};
  for (const key of ['ca', 'cert', 'key']) if (endpoint.tls[key]) tls[key] = Buffer.from(endpoint.tls[key], 'base64');
  if (endpoint.tls.rejectUnauthorized !== undefined) tls.rejectUnauthorized = endpoint.tls.rejectUnauthorized;
  if (endpoint.tls.servername !== undefined) tls.servername = endpoint.tls.servername;
  return { transport, agent: new transport.Agent({ keepAlive: true, ...options, ...tls }) };
}
`;
