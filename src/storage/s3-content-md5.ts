import type { S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';

const UPLOADS = new Set(['PutObjectCommand', 'UploadPartCommand']);

interface RequestWithBody {
  headers: Record<string, string>;
  body?: unknown;
}

function isRequestWithBody(request: unknown): request is RequestWithBody {
  return typeof request === 'object' && request !== null && typeof (request as { headers?: unknown }).headers === 'object';
}

/**
 * Sends Content-MD5 with every PutObject and UploadPart whose body is in memory (lib-storage
 * buffers each part). A bucket with Object Lock and a default retention refuses any upload
 * without Content-MD5 or a checksum header (400 InvalidRequest), even one asking for no
 * retention; Content-MD5 is the one every S3-compatible store knows, whereas the newer
 * x-amz-checksum-* headers are refused by some.
 */
export function sendContentMd5(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const { request } = args;
      if (UPLOADS.has(context.commandName ?? '') && isRequestWithBody(request) && request.body instanceof Uint8Array) {
        const named = Object.keys(request.headers).some((name) => name.toLowerCase() === 'content-md5');
        if (!named) request.headers['content-md5'] = createHash('md5').update(request.body).digest('base64');
      }
      return next(args);
    },
    // Before signing (finalizeRequest), so that the signature covers the header.
    { step: 'build', name: 'sendContentMd5', override: true },
  );
}
