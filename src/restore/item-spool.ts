import fs from 'node:fs/promises';

const flushBytes = 1 << 20;

/** Where one item's JSON is in the spool file. */
export interface SpoolSlot {
  offset: number;
  length: number;
}

/**
 * The items of an archive, appended to one local file and read back by position. The archive
 * is in the order it was written and a restore goes in another order; the spool lets it read
 * any item without holding items in memory or decompressing the archive again.
 */
export class ItemSpool {
  private buffered: Buffer[] = [];
  private bufferedBytes = 0;
  private size = 0;
  private written = 0;

  private constructor(private readonly handle: fs.FileHandle) {}

  static async create(file: string): Promise<ItemSpool> {
    return new ItemSpool(await fs.open(file, 'w+', 0o600));
  }

  async append(body: Buffer): Promise<SpoolSlot> {
    const slot = { offset: this.size, length: body.length };
    this.buffered.push(body);
    this.bufferedBytes += body.length;
    this.size += body.length;
    if (this.bufferedBytes >= flushBytes) await this.flush();
    return slot;
  }

  /** Writes what is buffered; reads see every appended item after this. */
  async flush(): Promise<void> {
    if (this.bufferedBytes === 0) return;
    const chunk = Buffer.concat(this.buffered, this.bufferedBytes);
    this.buffered = [];
    this.bufferedBytes = 0;
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await this.handle.write(chunk, done, chunk.length - done, this.written + done);
      done += bytesWritten;
    }
    this.written += chunk.length;
  }

  async read(slot: SpoolSlot): Promise<Buffer> {
    const buffer = Buffer.alloc(slot.length);
    let done = 0;
    while (done < slot.length) {
      const { bytesRead } = await this.handle.read(buffer, done, slot.length - done, slot.offset + done);
      if (bytesRead === 0) throw new Error(`item spool ended early at ${slot.offset + done}`);
      done += bytesRead;
    }
    return buffer;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
