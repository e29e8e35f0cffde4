export interface RequestLogEntry {
  method: string;
  path: string;
  /** The raw query string, without '?'. */
  query: string;
  /** Status sent; 0 when the connection was dropped before any response. */
  status: number;
  /** Set when an injected fault changed the request: 'status', 'delay', 'reset', 'mid-body'. */
  fault?: string;
  userAgent?: string;
  /** `gzip` when the answer was sent compressed (the client asked, and it was 128 KiB or more). */
  contentEncoding?: string;
  time: string;
}

/**
 * Every request the API answered (control requests excluded), oldest first, bounded. Kept in a
 * ring: once full, dropping the oldest entry by shifting the array cost O(limit) per request
 * (~150 µs at 100,000), which slowed every benchmark contender that ran after the log filled.
 */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  /** Index of the oldest entry once the ring is full. */
  private oldest = 0;

  constructor(private readonly limit: number) {}

  add(entry: RequestLogEntry): void {
    if (this.limit <= 0) return;
    if (this.entries.length < this.limit) {
      this.entries.push(entry);
      return;
    }
    this.entries[this.oldest] = entry;
    this.oldest = (this.oldest + 1) % this.limit;
  }

  list(): RequestLogEntry[] {
    return [...this.entries.slice(this.oldest), ...this.entries.slice(0, this.oldest)];
  }

  clear(): void {
    this.entries = [];
    this.oldest = 0;
  }
}
