import { Readable } from 'node:stream';

/** A body produced as it is read, never held whole; `onRead` sees the bytes produced so far. */
export function generatedBody(totalBytes: number, chunkBytes = 64 * 1024, onRead?: (produced: number) => void): Readable {
  let produced = 0;
  return new Readable({
    read() {
      if (produced >= totalBytes) {
        this.push(null);
        return;
      }
      const size = Math.min(chunkBytes, totalBytes - produced);
      const chunk = Buffer.alloc(size, produced % 251);
      produced += size;
      onRead?.(produced);
      this.push(chunk);
    },
  });
}
