/**
 * Bytes a page aims at once its items' size is known. 500 ConfigMaps of 1.5 KB make 0.75 MB;
 * 500 Secrets near their 1 MiB limit would make 700 MB, more than a JavaScript string holds.
 */
export const defaultPageBytes = 4 * 1024 * 1024;
/** A page body beyond this is dropped unread and asked for again with fewer items. */
export const defaultMaxPageBytes = 64 * 1024 * 1024;
/** A page asked for again has at most this share of the items of the one dropped. */
const tooLargeShrink = 8;

/**
 * The `limit` of the next LIST request: at most `--client-page-size` items, fewer when items
 * are so large that that many would make a page over `pageBytes`, so that memory follows the
 * size of a page rather than the number of items in it.
 */
export class PageLimit {
  private value: number;

  constructor(
    private readonly maxItems: number,
    private readonly pageBytes = defaultPageBytes,
    readonly maxPageBytes = defaultMaxPageBytes,
  ) {
    this.value = maxItems;
  }

  get current(): number {
    return this.value;
  }

  /** A page of `count` items took `bytes`: the next asks for as many as make about pageBytes. */
  afterPage(count: number, bytes: number): void {
    if (count === 0) return;
    this.value = Math.max(1, Math.min(this.maxItems, Math.floor((this.pageBytes * count) / Math.max(1, bytes))));
  }

  /**
   * A page asked with `asked` items went over maxPageBytes: its items averaged at least
   * maxPageBytes / asked, so ask for what makes pageBytes at that size (and at most an eighth).
   * False when a single item was asked for: there is nothing smaller to ask.
   */
  afterTooLarge(asked: number): boolean {
    if (asked <= 1) return false;
    this.value = Math.max(1, Math.min(Math.floor((asked * this.pageBytes) / this.maxPageBytes), Math.floor(asked / tooLargeShrink)));
    return true;
  }
}
