import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileObjectStore } from '../../src/storage/file-object-store.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import { openObjectStore, type OpenObjectStoreOptions } from '../../src/storage/open-object-store.js';
import { startS3Server, type S3TestServer } from '../s3/s3-test-server.js';

export interface FreshLocation {
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
  /** The options the fixture opens its stores with. */
  readonly options: OpenObjectStoreOptions;
}

/** One kind of store that the same contract runs against. */
export interface StoreFixture {
  readonly name: string;
  readonly supportsRetention: boolean;
  /** Set for the S3 fixture once started. */
  server?: S3TestServer;
  start(): Promise<void>;
  /** A store of its own for one test: an empty directory, or a new prefix in the bucket. */
  fresh(options?: OpenObjectStoreOptions): Promise<ObjectStore>;
  /** The same as a location URL and the environment that opens it, for a process of its own. */
  freshLocation(): Promise<FreshLocation>;
  stop(): Promise<void>;
}

export function fileFixture(): StoreFixture {
  const dirs: string[] = [];
  const freshDir = async (): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), 'kubectl-backup-store-'));
    dirs.push(dir);
    return join(dir, 'location');
  };
  return {
    name: 'FileObjectStore',
    supportsRetention: false,
    start: async () => undefined,
    fresh: async () => new FileObjectStore(await freshDir()),
    freshLocation: async () => ({ url: `file://${await freshDir()}`, env: {}, options: {} }),
    stop: async () => {
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

export function s3Fixture(): StoreFixture {
  let count = 0;
  const fixture: StoreFixture = {
    name: 'S3ObjectStore (write-once test server)',
    supportsRetention: true,
    start: async () => {
      fixture.server = await startS3Server({ writeOnce: true });
    },
    fresh: async (options = {}) => {
      const location = await fixture.freshLocation();
      return openObjectStore(location.url, { ...location.env }, { ...location.options, ...options });
    },
    freshLocation: async () => {
      const server = fixture.server;
      if (!server) throw new Error('the S3 test server is not started');
      count++;
      // Credentials reach the code as environment variables, never through the URL.
      return { url: server.urlWithPrefix(`t${count}/location`), env: { ...server.env }, options: { maxAttempts: 4, partSize: 5 * 1024 * 1024, queueSize: 2 } };
    },
    stop: async () => {
      await fixture.server?.close();
    },
  };
  return fixture;
}

export function bodyOf(text: string | Buffer): Readable {
  return Readable.from([typeof text === 'string' ? Buffer.from(text) : text]);
}

export async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export async function keysOf(store: ObjectStore, prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of store.list(prefix)) keys.push(object.key);
  return keys;
}
