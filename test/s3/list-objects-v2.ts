import type { IncomingMessage, ServerResponse } from 'node:http';
import type S3rver from 's3rver';
import { escapeXml, sendS3Error } from './s3-error-response.js';

/**
 * Answers ListObjectsV2 from s3rver's store. s3rver's own answer breaks as soon as a listing
 * is truncated: it encrypts continuation tokens with DES, which the OpenSSL of Node 17 and
 * later no longer offers. The proxy's tokens are the last key, base64url-encoded (real S3's
 * are opaque; clients only hand them back). Only the access key of such a request is checked,
 * not its signature.
 */
export async function answerListObjectsV2(
  store: S3rver['store'],
  bucket: string,
  query: Readonly<Record<string, string>>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (!(await store.getBucket(bucket))) {
    sendS3Error(req, res, 'NoSuchBucket', { resource: `/${bucket}`, extra: { BucketName: bucket } });
    return;
  }
  const maxKeysText = query['max-keys'] ?? '1000';
  if (!/^\d+$/.test(maxKeysText)) {
    sendS3Error(req, res, 'InvalidArgument', { message: 'Provided max-keys not an integer or within integer range' });
    return;
  }
  const maxKeys = Math.min(1000, Number(maxKeysText));
  const token = query['continuation-token'];
  let startAfter = query['start-after'] ?? '';
  if (token !== undefined) {
    startAfter = Buffer.from(token, 'base64url').toString('utf8');
    if (startAfter === '') {
      sendS3Error(req, res, 'InvalidArgument', { message: 'The continuation token provided is incorrect' });
      return;
    }
  }
  const prefix = query.prefix ?? '';
  const delimiter = query.delimiter ?? '';
  const urlEncoded = query['encoding-type'] === 'url';
  const text = (value: string): string => escapeXml(urlEncoded ? encodeURIComponent(value).replace(/%2F/g, '/') : value);

  const result =
    maxKeys === 0
      ? { objects: [], commonPrefixes: [], isTruncated: false }
      : await store.listObjects(bucket, { prefix, startAfter, maxKeys, ...(delimiter ? { delimiter } : {}) });
  const last = result.objects.at(-1)?.key;
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Name>${escapeXml(bucket)}</Name>`,
    `<Prefix>${text(prefix)}</Prefix>`,
    token !== undefined ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : '',
    query['start-after'] !== undefined ? `<StartAfter>${text(query['start-after'])}</StartAfter>` : '',
    `<KeyCount>${result.objects.length + result.commonPrefixes.length}</KeyCount>`,
    `<MaxKeys>${maxKeys}</MaxKeys>`,
    delimiter ? `<Delimiter>${text(delimiter)}</Delimiter>` : '',
    urlEncoded ? '<EncodingType>url</EncodingType>' : '',
    `<IsTruncated>${result.isTruncated}</IsTruncated>`,
    result.isTruncated && last !== undefined ? `<NextContinuationToken>${Buffer.from(last, 'utf8').toString('base64url')}</NextContinuationToken>` : '',
    ...result.objects.map(
      (object) =>
        `<Contents><Key>${text(object.key)}</Key><LastModified>${object.lastModifiedDate.toISOString()}</LastModified>` +
        `<ETag>${escapeXml(object.metadata.etag ?? '')}</ETag><Size>${object.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    ),
    ...result.commonPrefixes.map((common) => `<CommonPrefixes><Prefix>${text(common)}</Prefix></CommonPrefixes>`),
    '</ListBucketResult>',
  ];
  const body = parts.join('');
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
