/** The S3 operation a path-style request performs, told by method, path and query. */
export type S3Operation =
  | 'ListBuckets'
  | 'ListObjects'
  | 'ListObjectsV2'
  | 'ListMultipartUploads'
  | 'ListObjectVersions'
  | 'GetObjectLockConfiguration'
  | 'HeadBucket'
  | 'CreateBucket'
  | 'DeleteBucket'
  | 'DeleteObjects'
  | 'PutObject'
  | 'CopyObject'
  | 'GetObject'
  | 'HeadObject'
  | 'DeleteObject'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'Other';

export interface ParsedS3Request {
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly query: Readonly<Record<string, string>>;
  readonly operation: S3Operation;
}

export function parseS3Request(method: string, url: string, headers: Readonly<Record<string, string | string[] | undefined>>): ParsedS3Request {
  const parsed = new URL(url, 'http://s3.test');
  const query = Object.fromEntries(parsed.searchParams);
  const path = parsed.pathname.replace(/^\//, '');
  const slash = path.indexOf('/');
  const bucket = path === '' ? undefined : decodeURIComponent(slash < 0 ? path : path.slice(0, slash));
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  const key = rawKey === '' ? undefined : decodeURIComponent(rawKey);
  return { bucket, key, query, operation: classify(method.toUpperCase(), bucket, key, query, headers) };
}

function classify(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: Record<string, string>,
  headers: Readonly<Record<string, string | string[] | undefined>>,
): S3Operation {
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : 'Other';
  if (key === undefined) {
    if (method === 'GET') {
      if ('versions' in query) return 'ListObjectVersions';
      if ('object-lock' in query) return 'GetObjectLockConfiguration';
      return query['list-type'] === '2' ? 'ListObjectsV2' : 'uploads' in query ? 'ListMultipartUploads' : 'ListObjects';
    }
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'POST' && 'delete' in query) return 'DeleteObjects';
    if (method === 'DELETE') return 'DeleteBucket';
    return 'Other';
  }
  switch (method) {
    case 'PUT':
      if ('uploadId' in query) return 'UploadPart';
      return headers['x-amz-copy-source'] !== undefined ? 'CopyObject' : 'PutObject';
    case 'POST':
      if ('uploads' in query) return 'CreateMultipartUpload';
      return 'uploadId' in query ? 'CompleteMultipartUpload' : 'Other';
    case 'DELETE':
      return 'uploadId' in query ? 'AbortMultipartUpload' : 'DeleteObject';
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    default:
      return 'Other';
  }
}

/** Operations that create an object under the request's key. */
export function writesObject(operation: S3Operation): boolean {
  return operation === 'PutObject' || operation === 'CopyObject' || operation === 'CompleteMultipartUpload';
}
