import type { IncomingHttpHeaders } from 'node:http';
import type { FaultKind } from './fault-injector.js';
import type { S3Operation } from './s3-operation.js';

/** One request the test server received; what tests assert on. */
export interface LoggedRequest {
  readonly time: Date;
  readonly method: string;
  readonly operation: S3Operation;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  /** The answer's status; 0 when the connection was destroyed without one. */
  readonly status: number;
  /** Set when an injected fault, or a refusal of the server's own, answered instead of the store. */
  readonly fault?: FaultKind;
  readonly headers: LoggedHeaders;
  /** From the Authorization header's credential scope; the signature is never kept. */
  readonly accessKeyId?: string;
}

export interface LoggedHeaders {
  readonly objectLockMode?: string;
  readonly objectLockRetainUntilDate?: string;
  readonly contentLength?: number;
  readonly ifNoneMatch?: string;
  readonly copySource?: string;
  readonly bypassGovernanceRetention?: string;
}

export function loggedHeaders(headers: IncomingHttpHeaders): LoggedHeaders {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const length = one('content-length');
  return {
    ...optional('objectLockMode', one('x-amz-object-lock-mode')),
    ...optional('objectLockRetainUntilDate', one('x-amz-object-lock-retain-until-date')),
    ...(length !== undefined ? { contentLength: Number(length) } : {}),
    ...optional('ifNoneMatch', one('if-none-match')),
    ...optional('copySource', one('x-amz-copy-source')),
    ...optional('bypassGovernanceRetention', one('x-amz-bypass-governance-retention')),
  };
}

export function accessKeyIdOf(headers: IncomingHttpHeaders): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(headers.authorization ?? '')?.[1];
}

function optional<K extends string>(name: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, string>);
}
