/**
 * `npm run demo`: a backup, a deletion and a restore against the project's Kubernetes API test
 * server, with the built executable, so that anyone can watch kubectl-backup work without a
 * cluster. Builds the executable first when it is missing or older than the sources. Backups go
 * to the embedded default location under a temporary XDG_DATA_HOME: the user's own
 * ~/.local/share/kubectl-backup is never touched. Exits non-zero if any object is not back.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isNotFound } from '../src/kube/api-error.js';
import { HttpKubeClient } from '../src/kube/client.js';
import { Discovery, qualifiedName, resourcePath } from '../src/kube/discovery.js';
import { startTestApiServer } from '../test/apiserver/index.js';
import { createSampleWorkload } from '../test/builders/restore-sample-workload.js';
import { comparable } from '../test/helpers/restore-compare.js';
import type { KubeObject } from '../src/kube/types.js';
import { isDeepStrictEqual } from 'node:util';

const root = path.resolve(import.meta.dirname, '..');
const executable = path.join(root, 'dist', 'kubectl-backup');
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfNeeded(): void {
  const built = fs.existsSync(executable) ? fs.statSync(executable).mtimeMs : 0;
  const sources = Math.max(newestSource(path.join(root, 'src')), newestSource(path.join(root, 'bin')), fs.statSync(path.join(root, 'package.json')).mtimeMs);
  if (built > sources) return;
  console.log(bold('Building dist/kubectl-backup (npm run build)...'));
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** Runs `kubectl backup ARGS` (through kubectl when it is installed, as users do) and shows it. */
async function kubectlBackup(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  console.log(`\n${bold(`$ kubectl backup ${args.join(' ')}`)}`);
  const viaKubectl = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  const [command, argv] = viaKubectl ? ['kubectl', ['backup', ...args]] : [executable, args];
  const child = spawn(command, argv, { env: { ...env, PATH: `${path.dirname(executable)}${path.delimiter}${env.PATH ?? ''}` }, stdio: ['ignore', 'inherit', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  buildIfNeeded();
  const dataHome = fs.mkdtempSync(path.join(os.tmpdir(), 'kubectl-backup-demo-'));
  const server = await startTestApiServer({ kubeconfigPath: path.join(dataHome, 'kubeconfig') });
  try {
    const client = new HttpKubeClient({ server: server.url, headers: async () => ({ Authorization: `Bearer ${server.token}` }), tls: {} });
    const env: NodeJS.ProcessEnv = { ...process.env, KUBECONFIG: server.kubeconfigPath, XDG_DATA_HOME: dataHome, KUBECACHEDIR: path.join(dataHome, 'kube-cache') };
    console.log(bold('kubectl-backup demo'));
    console.log(`Kubernetes API test server: ${server.url} (kubeconfig ${server.kubeconfigPath})`);
    console.log(`Backups go to the default location under XDG_DATA_HOME=${dataHome} (removed at the end; your own data is untouched).`);

    await createSampleWorkload(client, 'shop');
    await createSampleWorkload(client, 'shop-admin', { crd: false });
    const objects = [...(await listNamespace(client, 'shop')), await named(client, 'customresourcedefinitions.apiextensions.k8s.io widgets.shop.example.com', crdPath)];
    console.log(`\nSeeded namespaces shop and shop-admin: a Deployment with its ReplicaSet and pods, a Service, ConfigMaps, Secrets, a ServiceAccount, a Role and RoleBinding, and the CRD widgets.shop.example.com with two Widgets (${objects.length} objects in shop).`);

    if ((await kubectlBackup(['create', 'demo', '--include-namespaces', 'shop,shop-admin'], env)) !== 0) return 1;

    console.log(`\n${bold('$ kubectl delete namespace shop')}   (and the CRD widgets.shop.example.com)`);
    await client.json({ method: 'DELETE', path: '/api/v1/namespaces/shop' });
    await client.json({ method: 'DELETE', path: crdPath });
    await waitGone(client, '/api/v1/namespaces/shop');
    await waitGone(client, crdPath);
    console.log('namespace "shop" and its objects are gone');

    // The test server runs no workload controllers, so nothing would recreate the ReplicaSet and
    // its pods: the demo restores owned objects too. On a real cluster, leave the flag out.
    const restored = await kubectlBackup(['restore', 'create', 'demo-restore', '--from-backup', 'demo', '--include-namespaces', 'shop', '--include-owned-resources'], env);
    if (restored !== 0) return restored;
    await kubectlBackup(['restore', 'describe', 'demo-restore'], env);

    console.log(`\n${bold('Check: every object of namespace shop is back, equal to the original (server-set fields aside)')}`);
    let bad = 0;
    for (const object of objects) {
      const back = await read(client, object.path);
      const verdict = back === undefined ? 'missing' : isDeepStrictEqual(comparable(back), comparable(object.original)) ? undefined : 'differs';
      if (verdict) bad++;
      console.log(`  ${verdict ? '✗' : '✓'} ${object.label}${verdict ? ` (${verdict})` : ''}`);
    }
    console.log(bad === 0 ? bold(`\nAll ${objects.length} objects are back.`) : bold(`\n${bad} of ${objects.length} objects are missing or differ.`));
    return bad === 0 ? 0 : 1;
  } finally {
    await server.close();
    fs.rmSync(dataHome, { recursive: true, force: true });
  }
}

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.shop.example.com';

interface NamedObject {
  label: string;
  path: string;
  original: KubeObject;
}

async function named(client: HttpKubeClient, label: string, pathname: string): Promise<NamedObject> {
  return { label, path: pathname, original: await client.json<KubeObject>({ method: 'GET', path: pathname }) };
}

/** Every object of a namespace (the Namespace too), from discovery, as it is now. */
async function listNamespace(client: HttpKubeClient, ns: string): Promise<NamedObject[]> {
  const discovery = await Discovery.load(client);
  const out: NamedObject[] = [await named(client, `namespaces ${ns}`, `/api/v1/namespaces/${ns}`)];
  for (const res of discovery.backupCandidates()) {
    if (!res.namespaced || ['events', 'events.events.k8s.io'].includes(qualifiedName(res))) continue;
    const list = await client.json<{ items: KubeObject[] }>({ method: 'GET', path: resourcePath(res, ns) });
    for (const item of list.items) {
      out.push({ label: `${qualifiedName(res)} ${ns}/${item.metadata.name}`, path: resourcePath(res, ns, item.metadata.name), original: { apiVersion: res.groupVersion, kind: res.kind, ...item } });
    }
  }
  return out;
}

async function read(client: HttpKubeClient, pathname: string): Promise<KubeObject | undefined> {
  try {
    return await client.json<KubeObject>({ method: 'GET', path: pathname });
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

async function exists(client: HttpKubeClient, pathname: string): Promise<boolean> {
  return (await read(client, pathname)) !== undefined;
}

async function waitGone(client: HttpKubeClient, pathname: string): Promise<void> {
  for (let i = 0; i < 1000 && (await exists(client, pathname)); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
