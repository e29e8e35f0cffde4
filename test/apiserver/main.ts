import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { SAMPLE_DATA } from './sample-data.js';
import { startTestApiServer } from './test-api-server.js';

const USAGE = `Usage: npm run test-cluster -- [options]

Starts the Kubernetes API test server and keeps it up until SIGINT/SIGTERM.

  --kubeconfig PATH   where to write the kubeconfig (default .test-cluster/kubeconfig)
  --port N            port to listen on (default: a free one)
  --host ADDR         address to listen on (default 127.0.0.1)
  --port-file PATH    write the port number to PATH once listening
  --tls               serve HTTPS with a generated CA
  --seed NAME         create a named sample data set at start (${Object.keys(SAMPLE_DATA).join(', ')})
  --token TOKEN       bearer token to require (default: random)
  --require-auth      answer 401 to requests without the token too, as a real server does
  --client-cert       the kubeconfig's user has a client certificate instead of the token (with --tls)
  --static            no simulated workload controllers, scheduler or kubelet

When the server accepts requests it prints a line "ready URL" on stdout.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string', default: '.test-cluster/kubeconfig' },
      port: { type: 'string' },
      host: { type: 'string' },
      'port-file': { type: 'string' },
      tls: { type: 'boolean', default: false },
      seed: { type: 'string' },
      token: { type: 'string' },
      'require-auth': { type: 'boolean', default: false },
      'client-cert': { type: 'boolean', default: false },
      static: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const sample = values.seed !== undefined ? SAMPLE_DATA[values.seed] : undefined;
  if (values.seed !== undefined && !sample) throw new Error(`unknown --seed ${values.seed}; known: ${Object.keys(SAMPLE_DATA).join(', ')}`);

  const kubeconfigPath = resolve(values.kubeconfig);
  mkdirSync(dirname(kubeconfigPath), { recursive: true });
  const server = await startTestApiServer({
    kubeconfigPath,
    port: values.port !== undefined ? Number(values.port) : undefined,
    host: values.host,
    tls: values.tls,
    token: values.token,
    requireAuth: values['require-auth'],
    clientCertAuth: values['client-cert'],
    workloadControllers: !values.static,
  });
  if (sample) await server.seed(sample());
  if (values['port-file']) {
    const portFile = resolve(values['port-file']);
    writeFileSync(`${portFile}.tmp`, `${server.port}\n`);
    renameSync(`${portFile}.tmp`, portFile);
  }

  console.log(`Kubernetes API test server (v1.32) listening on ${server.url}`);
  console.log('Use it with:');
  console.log(`  export KUBECONFIG=${kubeconfigPath}`);
  console.log('  kubectl get namespaces');
  console.log(`Test control API: ${server.url}/_test/ (faults, requests, expire-continue-tokens, seed)`);
  console.log(`ready ${server.url}`);

  const stop = (signal: string): void => {
    console.log(`${signal}: stopping`);
    server.close().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
