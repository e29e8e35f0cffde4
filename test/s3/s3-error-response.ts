import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Error codes the test server answers with, and their HTTP status, as S3 documents them. */
export const S3_ERRORS = {
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  ServiceUnavailable: { status: 503, message: 'Service is unable to handle request.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
  AccessDenied: { status: 403, message: 'Access Denied' },
  InvalidAccessKeyId: { status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.' },
  PreconditionFailed: { status: 412, message: 'At least one of the pre-conditions you specified did not hold' },
  ConditionalRequestConflict: {
    status: 409,
    message: 'A conflicting operation occurred. If using PutObject you can retry the request. If using multipart upload you should initiate another CreateMultipartUpload request and re-upload each part.',
  },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist' },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  NoSuchUpload: { status: 404, message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.' },
  NotImplemented: { status: 501, message: 'A header or parameter you provided implies functionality that is not implemented' },
  NoSuchVersion: { status: 404, message: 'The specified version does not exist.' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  ObjectLockConfigurationNotFoundError: { status: 404, message: 'Object Lock configuration does not exist for this bucket' },
} as const;

export type S3ErrorCode = keyof typeof S3_ERRORS;

export function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
}

/** A key (or prefix, marker) in a listing: URL-encoded as S3 does when asked with encoding-type=url. */
export function keyXml(key: string, urlEncoded: boolean): string {
  return escapeXml(urlEncoded ? encodeURIComponent(key).replace(/%2F/g, '/') : key);
}

/**
 * Answers with an S3 error document. The request body is read to its end first, so that the
 * client, which may still be sending, sees the answer rather than a broken connection.
 */
export function sendS3Error(req: IncomingMessage, res: ServerResponse, code: S3ErrorCode, options: { message?: string; resource?: string; extra?: Record<string, string> } = {}): void {
  const { status, message } = S3_ERRORS[code];
  const requestId = randomBytes(8).toString('hex').toUpperCase();
  const details = Object.entries(options.extra ?? {})
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${escapeXml(options.message ?? message)}</Message>` +
    `${options.resource ? `<Resource>${escapeXml(options.resource)}</Resource>` : ''}${details}<RequestId>${requestId}</RequestId></Error>`;
  const answer = (): void => {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/xml', 'x-amz-request-id': requestId, 'content-length': req.method === 'HEAD' ? 0 : Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.readableEnded) answer();
  else {
    req.on('end', answer);
    req.on('error', () => res.destroy());
    req.resume();
  }
}
