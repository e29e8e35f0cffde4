export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
}

export interface RawTarget {
  url: string;
  token: string;
}

/** A bare HTTP client for tests that check exact status codes and bodies. */
export class RawClient {
  constructor(private readonly target: RawTarget) {}

  async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    const init: RequestInit = {
      method,
      headers: {
        Authorization: `Bearer ${this.target.token}`,
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...headers,
      },
    };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await fetch(`${this.target.url}${path}`, init);
    return { status: res.status, headers: res.headers, text: await res.text() };
  }

  /** Sends a request and parses the JSON answer, whatever its status. */
  async json<T = Record<string, unknown>>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.request(method, path, body, headers);
    return { status: res.status, body: JSON.parse(res.text) as T, headers: res.headers };
  }
}
