import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeXml, keyXml, sendS3Error } from './s3-error-response.js';

export interface MultipartUpload {
  readonly bucket: string;
  readonly key: string;
  readonly uploadId: string;
  readonly initiated: Date;
}

/** s3rver's fixed account, which owns and initiates every upload. */
const OWNER = '<ID>123456789000</ID><DisplayName>S3rver</DisplayName>';

/**
 * The multipart uploads in progress: from CreateMultipartUpload until CompleteMultipartUpload or
 * AbortMultipartUpload, as S3 keeps them. s3rver keeps their parts but cannot list them
 * (ListMultipartUploads is NotImplemented there) and has no abort.
 */
export class MultipartUploadRegistry {
  private readonly uploads = new Map<string, MultipartUpload>();

  started(upload: MultipartUpload): void {
    this.uploads.set(this.id(upload.bucket, upload.uploadId), upload);
  }

  get(bucket: string, uploadId: string): MultipartUpload | undefined {
    return this.uploads.get(this.id(bucket, uploadId));
  }

  /** Completed or aborted: the upload no longer exists. */
  ended(bucket: string, uploadId: string): void {
    this.uploads.delete(this.id(bucket, uploadId));
  }

  /**
   * One page in S3's order by key (UTF-8 byte order); within a key by upload ID, the order
   * upload-id-marker continues in (S3 documents initiation time there; s3rver's IDs are
   * random, and a marker pages by ID).
   */
  page(bucket: string, options: { prefix: string; keyMarker?: string; uploadIdMarker?: string; maxUploads: number }): { uploads: MultipartUpload[]; isTruncated: boolean } {
    const { keyMarker, uploadIdMarker } = options;
    const after = (upload: MultipartUpload): boolean => {
      if (keyMarker === undefined) return true;
      const order = Buffer.compare(Buffer.from(upload.key), Buffer.from(keyMarker));
      return order > 0 || (order === 0 && uploadIdMarker !== undefined && upload.uploadId > uploadIdMarker);
    };
    const remaining = [...this.uploads.values()]
      .filter((upload) => upload.bucket === bucket && upload.key.startsWith(options.prefix) && after(upload))
      .sort((a, b) => Buffer.compare(Buffer.from(a.key), Buffer.from(b.key)) || (a.uploadId < b.uploadId ? -1 : a.uploadId > b.uploadId ? 1 : 0));
    return { uploads: remaining.slice(0, options.maxUploads), isTruncated: remaining.length > options.maxUploads };
  }

  private id(bucket: string, uploadId: string): string {
    return `${bucket}/${uploadId}`;
  }
}

/**
 * Answers ListMultipartUploads (GET /BUCKET?uploads) with prefix, max-uploads, key-marker,
 * upload-id-marker and encoding-type; a delimiter is answered NotImplemented rather than
 * ignored. As with ListObjectsV2, only the access key of the request is checked by the caller.
 */
export function answerListMultipartUploads(registry: MultipartUploadRegistry, bucket: string, query: Readonly<Record<string, string>>, req: IncomingMessage, res: ServerResponse): void {
  if (query.delimiter !== undefined) {
    sendS3Error(req, res, 'NotImplemented', { message: 'ListMultipartUploads with a delimiter is not modelled by the test server' });
    return;
  }
  const maxUploadsText = query['max-uploads'] ?? '1000';
  if (!/^\d+$/.test(maxUploadsText) || Number(maxUploadsText) < 1) {
    sendS3Error(req, res, 'InvalidArgument', { message: 'Argument max-uploads must be an integer between 1 and 2147483647' });
    return;
  }
  const maxUploads = Math.min(1000, Number(maxUploadsText));
  const prefix = query.prefix ?? '';
  const keyMarker = query['key-marker'] || undefined;
  // Without a key marker S3 ignores the upload ID marker.
  const uploadIdMarker = keyMarker !== undefined ? query['upload-id-marker'] || undefined : undefined;
  const urlEncoded = query['encoding-type'] === 'url';
  const key = (value: string): string => keyXml(value, urlEncoded);

  const { uploads, isTruncated } = registry.page(bucket, { prefix, maxUploads, ...(keyMarker !== undefined ? { keyMarker } : {}), ...(uploadIdMarker !== undefined ? { uploadIdMarker } : {}) });
  const last = uploads.at(-1);
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListMultipartUploadsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Bucket>${escapeXml(bucket)}</Bucket>`,
    `<KeyMarker>${key(keyMarker ?? '')}</KeyMarker>`,
    `<UploadIdMarker>${escapeXml(uploadIdMarker ?? '')}</UploadIdMarker>`,
    last ? `<NextKeyMarker>${key(last.key)}</NextKeyMarker>` : '',
    `<Prefix>${key(prefix)}</Prefix>`,
    last ? `<NextUploadIdMarker>${escapeXml(last.uploadId)}</NextUploadIdMarker>` : '',
    `<MaxUploads>${maxUploads}</MaxUploads>`,
    `<IsTruncated>${isTruncated}</IsTruncated>`,
    ...uploads.map(
      (upload) =>
        `<Upload><Key>${key(upload.key)}</Key><UploadId>${escapeXml(upload.uploadId)}</UploadId>` +
        `<Initiator>${OWNER}</Initiator><Owner>${OWNER}</Owner><StorageClass>STANDARD</StorageClass>` +
        `<Initiated>${upload.initiated.toISOString()}</Initiated></Upload>`,
    ),
    urlEncoded ? '<EncodingType>url</EncodingType>' : '',
    '</ListMultipartUploadsResult>',
  ].join('');
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** The UploadId of a CreateMultipartUpload answer (InitiateMultipartUploadResult). */
export function uploadIdOf(answerXml: string): string | undefined {
  return /<UploadId>([^<]+)<\/UploadId>/.exec(answerXml)?.[1];
}
