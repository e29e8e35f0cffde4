/**
 * Puts a body that stops after `bytes` and never ends, so the put never finishes: a test
 * kills this process (SIGKILL, which gives the store no chance to clean up) and looks at what
 * the write left behind. It runs in a process of its own (node --import tsx) for that.
 *
 * Usage: stalled-put.ts '{"url": ..., "options": {...}, "key": ..., "bytes": ...}'
 * with any credentials in the environment.
 */
import { Readable } from 'node:stream';
import { openObjectStore, type OpenObjectStoreOptions } from '../../src/storage/open-object-store.js';

export interface StalledPutRequest {
  readonly url: string;
  readonly options: OpenObjectStoreOptions;
  readonly key: string;
  readonly bytes: number;
}

const request = JSON.parse(process.argv[2] ?? '') as StalledPutRequest;
const chunkBytes = 64 * 1024;
let produced = 0;
const body = new Readable({
  read() {
    if (produced >= request.bytes) return;
    const size = Math.min(chunkBytes, request.bytes - produced);
    produced += size;
    this.push(Buffer.alloc(size, 7));
  },
});
// A body waiting for data holds nothing open: this keeps the process alive until it is killed.
setInterval(() => undefined, 60_000);
await openObjectStore(request.url, process.env, request.options).put(request.key, body);
throw new Error('the put finished, but its body never ends');
