/**
 * Puts a generated body into a store and prints, as JSON, what was stored and how far live
 * memory rose above where it started. It runs in a process of its own (node --expose-gc
 * --import tsx) so that the figure is the store's alone: the S3 test server, the test runner
 * and earlier tests hold memory of their own in the mocha process.
 *
 * Usage: measured-put.ts '{"url": ..., "options": {...}, "key": ..., "totalBytes": ...}'
 * with any credentials in the environment.
 */
import { openObjectStore, type OpenObjectStoreOptions } from '../../src/storage/open-object-store.js';
import type { StoredObject } from '../../src/storage/object-store.js';
import { generatedBody } from './generated-body.js';

export interface MeasuredPutRequest {
  readonly url: string;
  readonly options: OpenObjectStoreOptions;
  readonly key: string;
  readonly totalBytes: number;
}

export interface MeasuredPutResult {
  readonly stored: StoredObject;
  /** The most that heap plus array buffers rose above the baseline, read after full collections. */
  readonly peakGrowthBytes: number;
}

type Gc = (options?: { type: 'minor' | 'major' }) => void;

async function measuredPut(request: MeasuredPutRequest, gc: Gc): Promise<MeasuredPutResult> {
  const store = openObjectStore(request.url, process.env, request.options);
  gc();
  const baseline = process.memoryUsage();
  let peak = 0;
  const sample = (): void => {
    gc({ type: 'major' });
    const now = process.memoryUsage();
    peak = Math.max(peak, now.heapUsed + now.arrayBuffers - (baseline.heapUsed + baseline.arrayBuffers));
  };
  const sampler = setInterval(sample, 100);
  // Also at each eighth of the body, however fast the store is.
  const eighths = new Set<number>();
  const body = generatedBody(request.totalBytes, undefined, (produced) => {
    const eighth = Math.floor((produced * 8) / request.totalBytes);
    if (eighth > 0 && eighth < 8 && !eighths.has(eighth)) {
      eighths.add(eighth);
      sample();
    }
  });
  try {
    const stored = await store.put(request.key, body);
    return { stored, peakGrowthBytes: peak };
  } finally {
    clearInterval(sampler);
  }
}

const gc = (globalThis as { gc?: Gc }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const request = JSON.parse(process.argv[2] ?? '') as MeasuredPutRequest;
process.stdout.write(`${JSON.stringify(await measuredPut(request, gc))}\n`);
