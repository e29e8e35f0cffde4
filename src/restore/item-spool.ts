import fsSync from 'node:fs';
import fs from 'node:fs/promises';

const flushBytes = 1 << 20;
/** Reads are served from a window of the file this large. */
const windowBytes = 1 << 20;

/** Where one item's JSON is in the spool file. */
export interface SpoolSlot {
  offset: number;
  length: number;
}

/** The slot of an item left out of the spool (restore filters exclude it): reading it is a bug. */
export const unspooled: SpoolSlot = Object.freeze({ offset: -1, length: 0 });

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
  private window: { start: number; bytes: Buffer } = { start: 0, bytes: Buffer.alloc(0) };

  private constructor(private readonly handle: fs.FileHandle) {}

  static async create(file: string): Promise<ItemSpool> {
    return new ItemSpool(await fs.open(file, 'w+', 0o600));
  }

  /** Where `body` will be; it is written by the next flush, which the caller makes when `full`. */
  append(body: Buffer): SpoolSlot {
    const slot = { offset: this.size, length: body.length };
    this.buffered.push(body);
    this.bufferedBytes += body.length;
    this.size += body.length;
    return slot;
  }

  /** Whether enough is buffered to be worth a write: an await per item would cost more than it. */
  get full(): boolean {
    return this.bufferedBytes >= flushBytes;
  }

  /**
   * Writes what is buffered; reads see every appended item after this. The items go out as they
   * are, in one gathering write: joining them first cost more than the write (every megabyte
   * copied into fresh pages).
   */
  async flush(): Promise<void> {
    let pending = this.buffered;
    const total = this.bufferedBytes;
    this.buffered = [];
    this.bufferedBytes = 0;
    let done = 0;
    while (done < total) {
      // A write may take fewer buffers than given (at most IOV_MAX of them) or stop short.
      let { bytesWritten } = await this.handle.writev(pending, this.written + done);
      done += bytesWritten;
      let first = 0;
      while (first < pending.length && bytesWritten >= pending[first]!.length) bytesWritten -= pending[first++]!.length;
      pending = pending.slice(first);
      if (bytesWritten > 0) pending[0] = pending[0]!.subarray(bytesWritten);
    }
    this.written += total;
  }

  /**
   * One item's bytes. Reads go through a window of the file: an item right after the window
   * (items read in the order they were spooled, as a type of our own archives is) moves it on
   * by a megabyte, one system call for hundreds of items; any other item is read alone, so
   * that random order (another tool's archive, --ordered-resources) never reads a megabyte per
   * item. The file is local and was just written (in the page cache), so reads are
   * synchronous: cheaper than an asynchronous read per item, and than an await per item.
   */
  read(slot: SpoolSlot): Buffer {
    if (slot.offset < 0) throw new Error('the item was not spooled: the restore filters leave it out');
    const { start, bytes } = this.window;
    const end = start + bytes.length;
    if (slot.offset >= start && slot.offset + slot.length <= end) return bytes.subarray(slot.offset - start, slot.offset - start + slot.length);
    const sequential = slot.offset === end;
    const length = sequential ? Math.min(Math.max(windowBytes, slot.length), this.written - slot.offset) : slot.length;
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const bytesRead = fsSync.readSync(this.handle.fd, buffer, done, length - done, slot.offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    if (done < slot.length) throw new Error(`item spool ended early at ${slot.offset + done}`);
    // Windows are never reused, so slices stay valid after the window moves on.
    this.window = { start: slot.offset, bytes: buffer.subarray(0, done) };
    return buffer.subarray(0, slot.length);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
