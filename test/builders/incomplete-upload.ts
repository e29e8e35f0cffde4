import { CreateMultipartUploadCommand, ListMultipartUploadsCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import type { S3TestServer } from '../s3/s3-test-server.js';

/** An SDK client of the S3 test server's own, for what the code under test would never do. */
export function testServerClient(server: S3TestServer): S3Client {
  return new S3Client({
    region: 'us-east-1',
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: server.env.AWS_ACCESS_KEY_ID, secretAccessKey: server.env.AWS_SECRET_ACCESS_KEY },
    maxAttempts: 1,
  });
}

/**
 * A multipart upload with one part and no end, as a put killed with SIGKILL leaves it: the
 * SDK never got to abort it. `key` is the full key in the bucket. Returns the upload ID.
 */
export async function leaveIncompleteUpload(client: S3Client, bucket: string, key: string): Promise<string> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }));
  if (!UploadId) throw new Error(`no upload ID for ${key}`);
  await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
  return UploadId;
}

/** The keys of the multipart uploads in progress in the bucket, sorted. */
export async function incompleteUploadKeys(client: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
  for (;;) {
    const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, ...markers }));
    keys.push(...(page.Uploads ?? []).map((upload) => upload.Key ?? ''));
    if (!page.IsTruncated) return keys.sort();
    markers = { ...(page.NextKeyMarker !== undefined ? { KeyMarker: page.NextKeyMarker } : {}), ...(page.NextUploadIdMarker !== undefined ? { UploadIdMarker: page.NextUploadIdMarker } : {}) };
  }
}
