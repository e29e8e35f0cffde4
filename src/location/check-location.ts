import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { errorMessage } from '../errors.js';
import type { ObjectStore, RetentionMode } from '../storage/object-store.js';
import { readAtMost } from '../storage/read-at-most.js';
import { ObjectLockedError } from '../storage/storage-errors.js';
import { BACKUPS_DIR, PROBES_DIR, probeKey } from '../storage/layout.js';

export type CheckStepName = 'write' | 'read' | 'list' | 'delete' | 'object-lock';

export interface CheckStep {
  step: CheckStepName;
  ok: boolean;
  /** Not run: an earlier step failed, or the location is ReadOnly. */
  skipped?: string;
  detail?: string;
}

export interface CheckOptions {
  readonly readOnly: boolean;
  /** The location's --object-lock: the bucket must have Object Lock, or every backup's first write fails. */
  readonly objectLock?: RetentionMode;
  readonly now?: Date;
}

/**
 * Proves a location works: writes a probe object, reads it back, finds it in a listing and
 * deletes it; with --object-lock, that the bucket has Object Lock too. A ReadOnly location is
 * only listed and read from: writing is not its job.
 */
export async function checkLocation(store: ObjectStore, options: CheckOptions): Promise<CheckStep[]> {
  const steps = await checkObjects(store, options);
  if (options.objectLock === undefined) return steps;
  if (options.readOnly) return [...steps, { step: 'object-lock', ok: true, skipped: 'ReadOnly location' }];
  return [...steps, await run('object-lock', () => checkObjectLock(store, options.objectLock!))];
}

/**
 * Asks the bucket rather than writing a probe under retention: under compliance mode such a
 * probe could not be removed by anyone until its date.
 */
async function checkObjectLock(store: ObjectStore, mode: RetentionMode): Promise<string> {
  if (!store.objectLock) throw new Error(`${store.describe()} keeps no retention: object lock needs an S3 location`);
  const lock = await store.objectLock();
  if (!lock.enabled) {
    throw new Error(`the bucket has no Object Lock, so it refuses every object put with a ${mode} retention, as backups are; use a bucket created with Object Lock, or turn it off with --object-lock none`);
  }
  const fallback = lock.defaultRetention;
  const period = fallback ? [fallback.years !== undefined ? `${fallback.years} years` : '', fallback.days !== undefined ? `${fallback.days} days` : ''].filter((p) => p !== '').join(' ') : '';
  return `the bucket has Object Lock${fallback ? ` (default retention ${fallback.mode}${period ? ` ${period}` : ''})` : ''}; backups are put under ${mode} retention until they expire`;
}

async function checkObjects(store: ObjectStore, options: CheckOptions): Promise<CheckStep[]> {
  const now = options.now ?? new Date();
  const key = probeKey(`${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`);
  const payload = `kubectl-backup location check ${now.toISOString()}\n`;
  if (options.readOnly) {
    const list = await run('list', async () => {
      let count = 0;
      for await (const _object of store.list(BACKUPS_DIR)) if (++count >= 1000) break;
      return `${count}${count >= 1000 ? '+' : ''} objects under ${BACKUPS_DIR}`;
    });
    return [
      { step: 'write', ok: true, skipped: 'ReadOnly location' },
      { step: 'read', ok: true, skipped: 'ReadOnly location' },
      list,
      { step: 'delete', ok: true, skipped: 'ReadOnly location' },
    ];
  }
  const steps: CheckStep[] = [];
  const write = await run('write', async () => {
    const stored = await store.put(key, Readable.from([Buffer.from(payload)]), { contentType: 'text/plain' });
    return `${stored.size} bytes to ${key}`;
  });
  steps.push(write);
  const skip = (step: CheckStepName): CheckStep => ({ step, ok: false, skipped: 'the write failed' });
  if (!write.ok) return [...steps, skip('read'), skip('list'), skip('delete')];
  steps.push(
    await run('read', async () => {
      const written = Buffer.byteLength(payload);
      const read = await readAtMost(await store.get(key), written);
      if (!read) throw new Error(`read more than the ${written} bytes written`);
      if (read.toString('utf8') !== payload) throw new Error(`read ${read.length} bytes that differ from the ${written} written`);
      return `${read.length} bytes, as written`;
    }),
  );
  steps.push(
    await run('list', async () => {
      for await (const object of store.list(PROBES_DIR)) if (object.key === key) return `found ${key}`;
      throw new Error(`${key} is not in the listing of ${PROBES_DIR}`);
    }),
  );
  steps.push(
    await run('delete', async () => {
      try {
        await store.delete(key);
      } catch (err) {
        // A bucket with a default retention locks every new object, the probe too: that is the
        // bucket doing its job (backups are kept the same way), not a location that fails.
        if (err instanceof ObjectLockedError) return `kept: the bucket locked it on write${err.retainUntil ? ` until ${err.retainUntil.toISOString()}` : ''} (a default retention); it goes once that ends`;
        throw err;
      }
      if (await store.head(key)) throw new Error(`${key} is still there after the delete`);
      return `removed ${key}`;
    }),
  );
  return steps;
}

async function run(step: CheckStepName, action: () => Promise<string>): Promise<CheckStep> {
  try {
    return { step, ok: true, detail: await action() };
  } catch (err) {
    return { step, ok: false, detail: errorMessage(err) };
  }
}
