import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { printableStream } from '../../src/backup-records/printable-stream.js';

async function through(chunks: Buffer[]): Promise<string> {
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(chunks).pipe(printableStream())) out.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(out).toString('utf8');
}

describe('printableStream (a log artifact from storage, on its way to stdout)', () => {
  it('passes a log we wrote as it is: JSON lines, tabs, any language', async () => {
    const log = '{"level":"info","msg":"backup starting","note":"\\u001b is escaped"}\n\tindented ünïcødé ✓\n';
    assert.equal(await through([Buffer.from(log)]), log);
  });

  it('makes control characters harmless, also where a character is split between chunks', async () => {
    const bytes = Buffer.from('ok\u001b]0;pwned\u0007\r\u001b[2J é\u009b31m\n');
    const split = bytes.indexOf(Buffer.from('é')) + 1;
    assert.equal(await through([bytes.subarray(0, split), bytes.subarray(split)]), 'ok\uFFFD]0;pwned\uFFFD\uFFFD\uFFFD[2J é\uFFFD31m\n');
  });
});
