import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { KubeClient } from '../../src/kube/client.js';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import { startTestApiServer, type TestApiServer, type TestApiServerOptions } from '../apiserver/index.js';
import { fastClient, type RunDeps } from './backup-run.js';

/** What a backup integration test file runs against: one API test server and a file store of its own. */
export interface BackupTestbed {
  server: TestApiServer;
  /** Retries fast (see fastClient). */
  client: KubeClient;
  store: FileObjectStore;
  /** The engine's collaborators for a backup into `store` through `client`. */
  deps: RunDeps;
  /** A backup name not used before in this test file: `PREFIX1`, `PREFIX2`... */
  nextName(): string;
  close(): Promise<void>;
}

export async function startBackupTestbed(namePrefix: string, dirPrefix: string, serverOptions: TestApiServerOptions = {}): Promise<BackupTestbed> {
  const server = await startTestApiServer(serverOptions);
  const client = await fastClient(server.kubeconfigPath);
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), dirPrefix));
  const store = new FileObjectStore(dir);
  let count = 0;
  return {
    server,
    client,
    store,
    deps: { client, store, storageLocation: store.describe() },
    nextName: () => `${namePrefix}${++count}`,
    close: async () => {
      await server.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
