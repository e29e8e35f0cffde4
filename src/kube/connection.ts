import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { BadInputError } from '../errors.js';
import type { Endpoint } from './client.js';
import { displayableServer } from './displayable-server.js';
import { existingKubeconfigFiles } from './kubeconfig-files.js';
import { kubeconfigReadReason } from './kubeconfig-read-error.js';
import { refreshedEvery } from './refreshed-every.js';

export interface ConnectionOptions {
  /** `--kubeconfig`; else `KUBECONFIG`, else `~/.kube/config`, else the in-cluster service account. */
  kubeconfig?: string;
  /** `--context`; else the kubeconfig's current context. */
  context?: string;
  env?: NodeJS.ProcessEnv;
}

const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Loads credentials the way kubectl does. Kubeconfig parsing, exec plugins and token refresh
 * stay in @kubernetes/client-node; this only decides where the configuration comes from.
 */
export function loadKubeConfig(options: ConnectionOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const kc = new KubeConfig();
  const explicit = options.kubeconfig;
  /** Where the kubeconfig came from, for messages that must say which one is meant. */
  let source: string | undefined;
  if (explicit !== undefined) {
    if (!fs.existsSync(explicit)) throw new BadInputError(`--kubeconfig ${explicit}: no such file`);
    loadFile(kc, explicit);
  } else if (env.KUBECONFIG) {
    const files = existingKubeconfigFiles(env.KUBECONFIG);
    if (files.length === 0) throw new BadInputError(`KUBECONFIG=${env.KUBECONFIG}: no such file`);
    source = `KUBECONFIG=${env.KUBECONFIG}`;
    loadFile(kc, files[0]!, source);
    for (const file of files.slice(1)) {
      const more = new KubeConfig();
      loadFile(more, file, source);
      kc.mergeConfig(more, true);
    }
  } else if (env.KUBERNETES_SERVICE_HOST && fs.existsSync(path.join(serviceAccountDir, 'token'))) {
    kc.loadFromCluster();
  } else {
    const home = env.HOME ?? '';
    const file = path.join(home, '.kube', 'config');
    if (!home || !fs.existsSync(file)) {
      throw new BadInputError('no kubeconfig found: set --kubeconfig or KUBECONFIG, or create ~/.kube/config');
    }
    loadFile(kc, file);
  }
  if (options.context !== undefined) {
    if (!kc.getContextObject(options.context)) {
      const known = kc.getContexts().map((c) => c.name).join(', ') || 'none';
      throw new BadInputError(`--context ${options.context}: no such context in the kubeconfig (known: ${known})`);
    }
    kc.setCurrentContext(options.context);
  }
  if (!kc.getCurrentCluster()) {
    throw new BadInputError(`${source ? `${source}: ` : ''}the kubeconfig has no current context: pass --context or run kubectl config use-context`);
  }
  return kc;
}

function loadFile(kc: KubeConfig, file: string, source?: string): void {
  try {
    kc.loadFromFile(file);
  } catch (err) {
    throw new BadInputError(`${source ? `${source}: ` : ''}cannot read kubeconfig ${file}: ${kubeconfigReadReason(err)}`);
  }
}

/**
 * Auth headers are worked out again at most this often. client-node reads certificate and token
 * files and runs its authenticators each time, which cost a restore of thousands of objects a
 * measurable share of its CPU; a second is far below any token's life (exec plugins' tokens
 * last minutes, projected service-account tokens an hour, and client-go rereads them per minute).
 */
const headersTtlMs = 1000;

/** The endpoint of the current context: server, TLS material and auth headers kept fresh. */
export async function endpointFromKubeConfig(kc: KubeConfig): Promise<Endpoint> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new BadInputError('the kubeconfig has no current cluster');
  try {
    new URL(cluster.server);
  } catch {
    throw new BadInputError(`the kubeconfig's cluster ${cluster.name} has an invalid server URL`);
  }
  const auth = cluster.server.startsWith('http:') ? plainHttpView(kc, cluster.name) : kc;
  const first = await httpsOptions(auth);
  return {
    server: displayableServer(cluster.server),
    headers: refreshedEvery(headersTtlMs, async () => headersOf(await httpsOptions(auth))),
    tls: {
      ca: asBuffer(first.ca),
      cert: asBuffer(first.cert),
      key: asBuffer(first.key),
      rejectUnauthorized: first.rejectUnauthorized,
      servername: first.servername,
    },
  };
}

/**
 * kubectl talks plain HTTP to an http:// server (kubectl proxy, test servers); client-node
 * refuses unless skipTLSVerify is set. Over plain HTTP there is no TLS to verify, so a view of
 * the kubeconfig with that flag on the current cluster changes nothing but lets the
 * credentials be read.
 */
function plainHttpView(kc: KubeConfig, clusterName: string): KubeConfig {
  const view = new KubeConfig();
  view.loadFromOptions({
    clusters: kc.getClusters().map((c) => (c.name === clusterName ? { ...c, skipTLSVerify: true } : c)),
    users: kc.getUsers(),
    contexts: kc.getContexts(),
    currentContext: kc.getCurrentContext(),
  });
  return view;
}

interface AppliedOptions {
  headers?: Record<string, unknown>;
  auth?: string;
  ca?: unknown;
  cert?: unknown;
  key?: unknown;
  rejectUnauthorized?: boolean;
  servername?: string;
}

async function httpsOptions(kc: KubeConfig): Promise<AppliedOptions> {
  const opts: AppliedOptions = {};
  await kc.applyToHTTPSOptions(opts);
  return opts;
}

function headersOf(opts: AppliedOptions): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(opts.headers ?? {})) {
    if (typeof value === 'string') headers[key] = value;
  }
  if (opts.auth && !headers.Authorization) headers.Authorization = `Basic ${Buffer.from(opts.auth).toString('base64')}`;
  return headers;
}

function asBuffer(value: unknown): Buffer | undefined {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  return undefined;
}
