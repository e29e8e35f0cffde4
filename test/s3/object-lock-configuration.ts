import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendS3Error } from './s3-error-response.js';

export interface BucketObjectLock {
  readonly defaultRetention?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
}

/**
 * Answers GetObjectLockConfiguration: the bucket's Object Lock and its default retention, or,
 * for a bucket created without Object Lock, S3's 404 ObjectLockConfigurationNotFoundError.
 */
export function answerObjectLockConfiguration(lock: BucketObjectLock | undefined, req: IncomingMessage, res: ServerResponse): void {
  if (!lock) {
    sendS3Error(req, res, 'ObjectLockConfigurationNotFoundError');
    return;
  }
  const retention = lock.defaultRetention;
  const rule = retention ? `<Rule><DefaultRetention><Mode>${retention.mode}</Mode><Days>${retention.days}</Days></DefaultRetention></Rule>` : '';
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<ObjectLockConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`;
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
