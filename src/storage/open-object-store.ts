import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { FileObjectStore } from './file-object-store.js';
import { formatLocationUrl, parseLocationUrl, type LocationUrl, type S3LocationUrl } from './location-url.js';
import type { ObjectStore } from './object-store.js';
import { sendContentMd5 } from './s3-content-md5.js';
import { S3ObjectStore } from './s3-object-store.js';

export interface OpenObjectStoreOptions {
  /** Requests in all per S3 operation, the first included (the SDK retries the rest). */
  readonly maxAttempts?: number;
  readonly partSize?: number;
  readonly queueSize?: number;
  readonly listPageSize?: number;
}

/** Attempts per S3 request; with the SDK's capped exponential backoff and jitter, under a minute at worst. */
export const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The store behind a location URL. S3 credentials come from `env` (AWS_ACCESS_KEY_ID,
 * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) when set there, else from the AWS SDK's default
 * chain (profile, SSO, web identity, instance metadata). They are never logged and never part
 * of what describe() or an error says.
 */
export function openObjectStore(url: string | LocationUrl, env: NodeJS.ProcessEnv = process.env, options: OpenObjectStoreOptions = {}): ObjectStore {
  const location = typeof url === 'string' ? parseLocationUrl(url) : url;
  if (location.scheme === 'file') return new FileObjectStore(location.path);
  const client = new S3Client(s3ClientConfig(location, env, options));
  sendContentMd5(client);
  return new S3ObjectStore(client, {
    bucket: location.bucket,
    prefix: location.prefix,
    displayUrl: formatLocationUrl(location),
    ...(options.partSize !== undefined ? { partSize: options.partSize } : {}),
    ...(options.queueSize !== undefined ? { queueSize: options.queueSize } : {}),
    ...(options.listPageSize !== undefined ? { listPageSize: options.listPageSize } : {}),
  });
}

export function s3ClientConfig(location: S3LocationUrl, env: NodeJS.ProcessEnv, options: OpenObjectStoreOptions = {}): S3ClientConfig {
  // S3-compatible stores (MinIO and the like) mostly ignore regions but the signature needs one.
  const region = location.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (location.endpoint ? 'us-east-1' : undefined);
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  return {
    ...(region !== undefined ? { region } : {}),
    ...(location.endpoint !== undefined ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.forcePathStyle ?? false,
    followRegionRedirects: true,
    ...(accessKeyId && secretAccessKey
      ? { credentials: { accessKeyId, secretAccessKey, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } }
      : {}),
    // The SDK's default checksums frame streamed bodies as aws-chunked, which several
    // S3-compatible servers store corrupted; our own sha256 of every artifact guards integrity.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    // A connection silent for two minutes fails (and is retried) instead of hanging the backup.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
  };
}
