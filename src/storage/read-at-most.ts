import type { Readable } from 'node:stream';

/**
 * The whole of a small object's body, or undefined once it passes `maxBytes` (the stream is
 * then destroyed): what storage returns is untrusted, and a huge object must never be held.
 */
export async function readAtMost(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}
