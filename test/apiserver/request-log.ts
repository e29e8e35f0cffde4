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

/** Every request the API answered (control requests excluded), oldest first, bounded. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly limit: number) {}

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
