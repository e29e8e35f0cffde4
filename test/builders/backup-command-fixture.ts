import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BackupEngine } from '../../src/backup/backup-engine.js';
import type { BackupOutcome } from '../../src/backup/backup-outcome.js';
import { buildBackupSpec } from '../../src/backup/backup-record-builder.js';
import { defaultTtlMs, type BackupFilters } from '../../src/backup/backup-request.js';
import { BackupObjectSink } from '../../src/cluster-records/backup-object-sink.js';
import { install } from '../../src/install/install.js';
import type { KubeClient } from '../../src/kube/client.js';
import { connectCluster } from '../../src/kube/cluster.js';
import { createLocation } from '../../src/location/manage-locations.js';
import { resolveLocation, retentionFor } from '../../src/location/resolve.js';
import { silentLogger } from '../../src/log/logger.js';
import { startTestApiServer, type KubeObject, type TestApiServer } from '../apiserver/index.js';
import { kubectlBackup, type RunResult } from '../helpers/plugin.js';
import { startS3Server, S3_TEST_CREDENTIALS, type S3TestServer } from '../s3/s3-test-server.js';
import { backupRequest } from './backup-run.js';

export const toolNamespace = 'kubectl-backup';

/** The locations every backup command test has: a directory, and a write-once S3 bucket. */
export type LocationName = 'default' | 'vault' | 'locked';

export interface BackupOptions {
  location?: LocationName;
  filters?: Partial<BackupFilters>;
  labels?: Record<string, string>;
  ttlMs?: number;
}

export interface BackupCommandFixture {
  api: TestApiServer;
  s3: S3TestServer;
  client: KubeClient;
  /** Root of the `default` location (file://), which is the default location. */
  dir: string;
  /** A scratch directory for the commands' own files (downloads). */
  scratch: string;
  /** Environment of every command run: no AWS credentials but the locations' Secret. */
  env: NodeJS.ProcessEnv;
  /** `kubectl backup ARGS` through the real kubectl and the built executable. */
  run(args: string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }): Promise<RunResult>;
  /** A real backup, taken in-process by the engine with the Backup object kept as `create` does. */
  backup(name: string, options?: BackupOptions): Promise<BackupOutcome>;
  close(): Promise<void>;
}

/**
 * The API test server with the CRDs installed and a small workload, and three locations:
 * `default` (a directory, the default), `vault` (a write-once S3 bucket, credentials from a
 * Secret) and `locked` (the same bucket under another prefix, with object lock governance).
 */
export async function startBackupCommandFixture(name: string): Promise<BackupCommandFixture> {
  const [api, s3] = await Promise.all([startTestApiServer(), startS3Server({ writeOnce: true })]);
  const { client } = await connectCluster({ kubeconfig: api.kubeconfigPath });
  const home = await mkdtemp(join(tmpdir(), `kb-${name}-`));
  const dir = join(home, 'default-location');
  const scratch = await mkdtemp(join(home, 'scratch-'));
  await install(client, { namespace: toolNamespace });
  const credentials = { AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey };
  await createLocation(client, toolNamespace, { name: 'default', url: pathToFileURL(dir).href, default: true, accessMode: 'ReadWrite' });
  await createLocation(client, toolNamespace, { name: 'vault', url: s3.urlWithPrefix('vault'), credentials, default: false, accessMode: 'ReadWrite' });
  await createLocation(client, toolNamespace, { name: 'locked', url: s3.urlWithPrefix('locked'), credentialsSecret: 'kubectl-backup-location-vault', default: false, accessMode: 'ReadWrite', objectLock: 'governance' });

  const objects: KubeObject[] = [];
  for (const ns of ['shop', 'blog']) {
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { color: 'blue' } });
    objects.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-password', namespace: ns }, type: 'Opaque', data: { password: Buffer.from('s3cret-password').toString('base64') } });
    objects.push({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns }, spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } } });
  }
  await api.seed(objects);

  const env: NodeJS.ProcessEnv = {
    KUBECACHEDIR: join(home, 'kubectl-cache'),
    XDG_DATA_HOME: join(home, 'xdg'),
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: 'none',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
    AWS_EC2_METADATA_DISABLED: 'true',
  };

  return {
    api,
    s3,
    client,
    dir,
    scratch,
    env,
    run: (args, options = {}) => kubectlBackup(args, { kubeconfig: api.kubeconfigPath, env: { ...env, ...options.env }, ...(options.cwd ? { cwd: options.cwd } : {}) }),
    async backup(backupName, options = {}) {
      const location = await resolveLocation({ storageLocation: options.location ?? 'default' }, { client, namespace: toolNamespace });
      const ttlMs = options.ttlMs ?? defaultTtlMs;
      const retention = retentionFor(location, ttlMs === 0 ? null : new Date(Date.now() + ttlMs));
      const request = backupRequest(backupName, { includeNamespaces: ['shop', 'blog'], ...options.filters }, { ttlMs, labels: options.labels ?? {} });
      const status = await BackupObjectSink.forCluster(client, toolNamespace, { name: backupName, labels: request.labels, spec: buildBackupSpec(request, location.reference) }, silentLogger);
      return new BackupEngine(request, {
        client,
        store: location.store,
        storageLocation: location.reference,
        logger: silentLogger,
        status,
        ...(retention ? { objectLock: retention.mode } : {}),
      }).run();
    },
    async close() {
      await Promise.all([api.close(), s3.close()]);
      await rm(home, { recursive: true, force: true });
    },
  };
}
