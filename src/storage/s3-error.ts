import { STATUS_CODES } from 'node:http';
import { errorMessage } from '../errors.js';

/** What the AWS SDK attaches to the errors it throws, read defensively. */
interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  $metadata?: { httpStatusCode?: unknown; attempts?: unknown };
}

function shape(err: unknown): SdkErrorShape {
  return typeof err === 'object' && err !== null ? (err as SdkErrorShape) : {};
}

export function s3ErrorCode(err: unknown): string | undefined {
  const { Code, name, code } = shape(err);
  if (typeof Code === 'string') return Code;
  if (typeof code === 'string') return code;
  return typeof name === 'string' && name !== 'Error' ? name : undefined;
}

export function s3HttpStatus(err: unknown): number | undefined {
  const status = shape(err).$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

export function s3Attempts(err: unknown): number {
  const attempts = shape(err).$metadata?.attempts;
  return typeof attempts === 'number' ? attempts : 1;
}

/**
 * The reason for a failed request, for people: code, message, HTTP status, attempts. Only
 * what the server and the socket said; SDK errors carry no credentials in their messages.
 */
export function describeS3Error(err: unknown): string {
  const status = s3HttpStatus(err);
  // Answers without a body (every HEAD) leave the SDK with nothing but "UnknownError".
  const unknown = s3ErrorCode(err) === 'UnknownError' || errorMessage(err) === 'UnknownError';
  const code = unknown ? undefined : s3ErrorCode(err);
  const message = unknown ? (status !== undefined ? (STATUS_CODES[status] ?? 'unknown error') : 'unknown error') : errorMessage(err);
  const attempts = s3Attempts(err);
  const details = [status !== undefined ? `HTTP ${status}` : undefined, attempts > 1 ? `after ${attempts} attempts` : undefined].filter(Boolean);
  const text = code && code !== message && !message.includes(code) ? `${code}: ${message}` : message;
  return details.length > 0 ? `${text} (${details.join(', ')})` : text;
}
