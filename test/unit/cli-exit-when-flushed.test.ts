import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exitWhenFlushed } from '../../src/cli/exit-when-flushed.js';

const run = promisify(execFile);

/** A stream whose reader takes `delayMs` per chunk, as a slow pipe reader does. */
function slowStream(delayMs: number, received: Buffer[], highWaterMark = 16): Writable {
  return new Writable({
    highWaterMark,
    write(chunk: Buffer, _encoding, callback) {
      setTimeout(() => {
        // An empty write reaches a pipe as nothing.
        if (chunk.length > 0) received.push(chunk);
        callback();
      }, delayMs);
    },
  });
}

describe('exit when output is flushed', () => {
  it('exits at once when nothing is pending', () => {
    let exited = 0;
    exitWhenFlushed([new Writable({ write: (_c, _e, cb) => cb() })], () => exited++);
    assert.equal(exited, 1);
  });

  it('waits for what a slow reader has not taken yet', async () => {
    const received: Buffer[] = [];
    const stream = slowStream(5, received);
    for (let i = 0; i < 5; i++) stream.write(Buffer.from(`line ${i}\n`));
    const exited = new Promise<number>((resolve) => exitWhenFlushed([stream], () => resolve(received.length)));
    assert.equal(await exited, 5);
  });

  it('waits for output that fills less than the stream buffer, which never emits drain', async () => {
    const received: Buffer[] = [];
    const stream = slowStream(5, received, 64 * 1024);
    for (let i = 0; i < 3; i++) assert.ok(stream.write(Buffer.from(`line ${i}\n`)), 'below the high-water mark');
    const exited = new Promise<number>((resolve) => exitWhenFlushed([stream], () => resolve(received.length)));
    assert.equal(await exited, 3);
  });

  it('exits when the reader goes away instead of draining', async () => {
    const stream = slowStream(1000, []);
    stream.on('error', () => undefined);
    stream.write('pending');
    const exited = new Promise<void>((resolve) => exitWhenFlushed([stream], resolve));
    stream.destroy(new Error('EPIPE'));
    await exited;
  });

  it('a process writing more than a pipe holds loses none of it to a slow reader', async function () {
    this.timeout(20_000);
    const module = fileURLToPath(new URL('../../src/cli/exit-when-flushed.ts', import.meta.url));
    const script = `import { exitWhenFlushed } from ${JSON.stringify(module)}; process.stdout.write(Buffer.alloc(3_000_000, 97)); exitWhenFlushed();`;
    // The reader starts late, so the writer's output is still queued when it asks to exit.
    const { stdout } = await run('sh', ['-c', '"$0" --import tsx --input-type=module -e "$1" | { sleep 1; wc -c; }', process.execPath, script]);
    assert.equal(Number(stdout.trim()), 3_000_000);
  });
});
