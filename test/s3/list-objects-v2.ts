import type { IncomingMessage, ServerResponse } from 'node:http';
import type S3rver from 's3rver';
import { escapeXml, keyXml, sendS3Error } from './s3-error-response.js';

/**
 * Answers ListObjectsV2 from s3rver's store. s3rver's own answer breaks as soon as a listing
 * is truncated: it encrypts continuation tokens with DES, which the OpenSSL of Node 17 and
 * later no longer offers; and it pages in the wrong order (see page()). The proxy's tokens are the last key, base64url-encoded (real S3's
 * are opaque; clients only hand them back). The caller has checked the request's access key
 * (not its signature) and that the bucket exists.
 */
export async function answerListObjectsV2(
  store: S3rver['store'],
  bucket: string,
  query: Readonly<Record<string, string>>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const maxKeys = maxKeysOf(query, req, res);
  if (maxKeys === undefined) return;
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
  const text = (value: string): string => keyXml(value, urlEncoded);

  const result = await page(store, bucket, { prefix, delimiter, startAfter, maxKeys });
  const last = result.last;
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

type Listed = Awaited<ReturnType<S3rver['store']['listObjects']>>['objects'][number];

/**
 * One page in S3's order (UTF-8 byte order of keys, common prefixes among them). s3rver walks
 * directories instead, and pages by "key > start-after" over that walk, which skips keys such
 * as a-b/x after a/y; so everything is listed, sorted, then cut here.
 */
async function page(
  store: S3rver['store'],
  bucket: string,
  options: { prefix: string; delimiter: string; startAfter: string; maxKeys: number },
): Promise<{ objects: Listed[]; commonPrefixes: string[]; isTruncated: boolean; last: string | undefined }> {
  const all = await store.listObjects(bucket, { prefix: options.prefix, ...(options.delimiter ? { delimiter: options.delimiter } : {}) });
  const entries: ({ name: string; object: Listed } | { name: string; object?: undefined })[] = [
    ...all.objects.map((object) => ({ name: object.key, object })),
    ...all.commonPrefixes.map((name) => ({ name })),
  ].sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
  const after = Buffer.from(options.startAfter);
  const remaining = entries.filter((entry) => Buffer.compare(Buffer.from(entry.name), after) > 0);
  const taken = remaining.slice(0, options.maxKeys);
  return {
    objects: taken.flatMap((entry) => (entry.object ? [entry.object] : [])),
    commonPrefixes: taken.flatMap((entry) => (entry.object ? [] : [entry.name])),
    isTruncated: remaining.length > taken.length,
    last: taken.at(-1)?.name,
  };
}

/** The request's max-keys, as S3 caps it (1000); undefined once an error is answered for a value that is no whole number. */
export function maxKeysOf(query: Readonly<Record<string, string>>, req: IncomingMessage, res: ServerResponse): number | undefined {
  const text = query['max-keys'] ?? '1000';
  if (!/^\d+$/.test(text)) {
    sendS3Error(req, res, 'InvalidArgument', { message: 'Provided max-keys not an integer or within integer range' });
    return undefined;
  }
  return Math.min(1000, Number(text));
}
