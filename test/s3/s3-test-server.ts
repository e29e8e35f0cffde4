import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { FaultInjector, type FaultKind } from './fault-injector.js';
import { answerListObjectsV2 } from './list-objects-v2.js';
import { answerListMultipartUploads, MultipartUploadRegistry, uploadIdOf } from './multipart-uploads.js';
import { answerListObjectVersions } from './list-object-versions.js';
import { answerObjectLockConfiguration } from './object-lock-configuration.js';
import { ObjectLockRegistry, type ListedVersion, type RetentionSeen } from './object-lock-registry.js';
import { accessKeyIdOf, loggedHeaders, type LoggedRequest } from './request-log.js';
import { sendS3Error } from './s3-error-response.js';
import { parseS3Request, writesObject, type ParsedS3Request, type S3Operation } from './s3-operation.js';

/** The bucket-level operations the proxy answers itself instead of forwarding them to s3rver. */
const OWN_BUCKET_OPERATIONS: ReadonlySet<S3Operation> = new Set<S3Operation>(['ListMultipartUploads', 'ListObjectVersions', 'GetObjectLockConfiguration', 'ListObjectsV2']);

/** s3rver's fixed credentials; tests hand them to the code as environment variables. */
export const S3_TEST_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;

export interface S3ServerOptions {
  /** The bucket created at start; "test-bucket" unless given. */
  readonly bucket?: string;
  /**
   * Refuse any write (PutObject, CopyObject, CompleteMultipartUpload) of a key that exists,
   * as a write-once (WORM) bucket does. See startS3Server for the answers.
   */
  readonly writeOnce?: boolean;
  /** The clock retention dates are compared with, and that dates multipart uploads. */
  readonly now?: () => Date;
  /**
   * The bucket has Object Lock enabled with this default retention, which every object
   * written without a retention of its own gets (see startS3Server for what that requires).
   */
  readonly defaultRetention?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly days: number };
  /**
   * The bucket was created with Object Lock (implied by defaultRetention): versioned, and
   * GetObjectLockConfiguration says Enabled. Without it, GetObjectLockConfiguration answers
   * 404 ObjectLockConfigurationNotFoundError (writes with a retention are still taken).
   */
  readonly objectLock?: boolean;
  /**
   * Versioning is enabled (implied by objectLock): every write is a version, a delete without
   * a version ID adds a delete marker. Without it, only keys written with a retention are
   * versioned.
   */
  readonly versioned?: boolean;
  /**
   * Answer HeadObject and GetObject with ETags that are no MD5 of the content, as S3 does for
   * objects encrypted with SSE-KMS or SSE-C.
   */
  readonly opaqueEtags?: boolean;
}

export interface S3TestServer {
  /** http://127.0.0.1:PORT, the proxy's address. */
  readonly endpoint: string;
  readonly bucket: string;
  /** s3://BUCKET?endpoint=...&forcePathStyle=true&region=us-east-1 */
  readonly url: string;
  /** The same with a prefix inside the bucket. */
  urlWithPrefix(prefix: string): string;
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for the code under test. */
  readonly env: Readonly<Record<'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY', string>>;
  /** Every request received, in arrival order; entries get their status when answered. */
  readonly requestLog: readonly LoggedRequest[];
  readonly faults: FaultInjector;
  /** Keys with versions a delete marker or a newer version hides: data the bucket still keeps, out of sight. */
  hiddenVersions(): string[];
  /** Every version and delete marker the bucket keeps of keys under `prefix` (a full key prefix), as ListObjectVersions lists them. */
  versions(prefix?: string): ListedVersion[];
  clearLog(): void;
  close(): Promise<void>;
}

type MutableLogEntry = { -readonly [K in keyof LoggedRequest]: LoggedRequest[K] };

/**
 * Starts s3rver on loopback, in a temporary directory, behind a proxy of our own (also on
 * loopback) that logs requests, injects faults and adds what s3rver lacks:
 *
 * - Conditional writes: a write with `If-None-Match: *` of a key that exists is refused with
 *   412 PreconditionFailed, as S3 does, in every mode.
 * - Write-once mode: any other write of an existing key is refused with 403 AccessDenied,
 *   which is what S3 answers for writes its object protection forbids (and what WORM stores
 *   such as MinIO's WORM mode answered): a refusal of authorisation, not a conflict. A write
 *   of a key that another write is still writing is refused with 409
 *   ConditionalRequestConflict, S3's answer to racing conditional writes.
 * - Object lock: x-amz-object-lock-mode / -retain-until-date seen on a PutObject, CopyObject
 *   or CreateMultipartUpload are kept for the key, returned on HeadObject and GetObject as
 *   S3 does, with the version ID (x-amz-version-id) of the object. As on S3, whose Object
 *   Lock buckets are versioned, retention protects the version: a DeleteObject naming it
 *   (versionId) before that date is refused with 403 AccessDenied ("Access Denied because
 *   object protected by object lock."), unless the mode is GOVERNANCE and
 *   x-amz-bypass-governance-retention: true is sent; a DeleteObject without a version ID
 *   succeeds and hides the key behind a delete marker, its data kept (see hiddenVersions).
 * - Versions (see object-lock-registry.ts): keys written with a retention, and every key of a
 *   bucket with `versioned` or `objectLock`, keep their versions and delete markers.
 *   ListObjectVersions lists them; DeleteObject with a versionId removes one (answering
 *   x-amz-delete-marker for a marker), HeadObject with one shows it. s3rver holds the data of
 *   a key's current version only, so a hidden version reappears in no listing of objects.
 * - GetObjectLockConfiguration: Enabled, with the default retention, for a bucket with
 *   `objectLock` (or `defaultRetention`); else 404 ObjectLockConfigurationNotFoundError.
 * - Under Object Lock (a retention on the request or its multipart upload, or the bucket's
 *   default retention), a PutObject or UploadPart without Content-MD5 or an x-amz-checksum-*
 *   header is refused with 400 InvalidRequest, as S3 does.
 * - ListObjectsV2 with working pagination (see list-objects-v2.ts), and S3's ETag for
 *   multipart objects (md5 of the parts' md5s, "-N") on HeadObject and GetObject.
 * - Multipart uploads in progress (see multipart-uploads.ts), tracked from
 *   CreateMultipartUpload until CompleteMultipartUpload or AbortMultipartUpload, dated by
 *   `now`: ListMultipartUploads with prefix and pagination, and AbortMultipartUpload, both of
 *   which s3rver lacks (the abort removes s3rver's parts). UploadPart, CompleteMultipartUpload
 *   and AbortMultipartUpload of an upload that does not exist (any more) are refused with 404
 *   NoSuchUpload.
 */
export async function startS3Server(options: S3ServerOptions = {}): Promise<S3TestServer> {
  const bucket = options.bucket ?? 'test-bucket';
  const now = options.now ?? ((): Date => new Date());
  const directory = await mkdtemp(join(tmpdir(), 'kubectl-backup-s3-'));
  const s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket }] });
  const upstreamAddress = await s3rver.run();
  const upstreamAgent = new Agent({ keepAlive: true });

  const log: MutableLogEntry[] = [];
  const faults = new FaultInjector();
  const objectLock = options.objectLock ?? options.defaultRetention !== undefined;
  const locks = new ObjectLockRegistry(options.versioned ?? objectLock);
  const uploads = new MultipartUploadRegistry();
  const writing = new Set<string>();
  /** S3 gives multipart objects the ETag md5(part md5s)-N; s3rver the whole body's md5. */
  const multipartEtags = new Map<string, string>();

  const proxy = createServer((req, res) => {
    void handle(req, res).catch(() => res.destroy());
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const parsed = parseS3Request(method, req.url ?? '/', req.headers);
    const accessKeyId = accessKeyIdOf(req.headers);
    const entry: MutableLogEntry = {
      time: now(),
      method,
      operation: parsed.operation,
      bucket: parsed.bucket,
      key: parsed.key,
      query: parsed.query,
      status: 0,
      headers: loggedHeaders(req.headers),
      ...(accessKeyId !== undefined ? { accessKeyId } : {}),
    };
    log.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    const fault = faults.take({ method, operation: parsed.operation, key: parsed.key });
    if (fault !== undefined) entry.fault = fault;
    if (fault !== undefined && fault !== 'lose-response') {
      injectFault(fault, req, res, parsed);
      return;
    }

    const objectId = parsed.key === undefined ? undefined : `${parsed.bucket}/${parsed.key}`;
    if (objectId !== undefined && writesObject(parsed.operation) && parsed.bucket !== undefined && parsed.key !== undefined) {
      const conditional = req.headers['if-none-match'] === '*';
      if (options.writeOnce || conditional) {
        if (writing.has(objectId)) {
          sendS3Error(req, res, 'ConditionalRequestConflict', { resource: `/${objectId}` });
          return;
        }
        writing.add(objectId);
        res.on('close', () => writing.delete(objectId));
        if (await s3rver.store.existsObject(parsed.bucket, parsed.key)) {
          if (conditional) sendS3Error(req, res, 'PreconditionFailed', { resource: `/${objectId}`, extra: { Condition: 'If-None-Match' } });
          else sendS3Error(req, res, 'AccessDenied', { message: 'Access Denied: the bucket is write-once and the object already exists', resource: `/${objectId}` });
          return;
        }
      }
    }

    if ((parsed.operation === 'PutObject' || parsed.operation === 'UploadPart') && parsed.key !== undefined && !carriesChecksum(req.headers)) {
      const locked =
        options.defaultRetention !== undefined ||
        (parsed.operation === 'PutObject' ? ObjectLockRegistry.fromHeaders(req.headers) : locks.pendingFor(parsed.key)) !== undefined;
      if (locked) {
        const request = parsed.operation === 'PutObject' ? 'Put Object' : 'Put Part';
        sendS3Error(req, res, 'InvalidRequest', { message: `Content-MD5 OR x-amz-checksum- HTTP header is required for ${request} requests with Object Lock parameters` });
        return;
      }
    }

    if (parsed.operation === 'DeleteObject' && parsed.key !== undefined) {
      const blocking = locks.blocksDelete(parsed.key, parsed.query.versionId, now(), req.headers['x-amz-bypass-governance-retention'] === 'true');
      if (blocking) {
        sendS3Error(req, res, 'AccessDenied', { message: 'Access Denied because object protected by object lock.', resource: `/${objectId}` });
        return;
      }
    }
    if (parsed.operation === 'DeleteObject' && parsed.key !== undefined && parsed.query.versionId !== undefined && !locks.isCurrent(parsed.key, parsed.query.versionId)) {
      // s3rver holds the current version's data only: an older version or a delete marker is the proxy's alone.
      const gone = locks.deleted(parsed.key, parsed.query.versionId, now());
      answerHere(req, res, fault === 'lose-response', 204, { 'x-amz-version-id': parsed.query.versionId, ...(gone?.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}) });
      return;
    }
    if (parsed.operation === 'HeadObject' && parsed.key !== undefined && parsed.query.versionId !== undefined && !locks.isCurrent(parsed.key, parsed.query.versionId)) {
      const version = locks.find(parsed.key, parsed.query.versionId);
      if (!version) sendS3Error(req, res, 'NoSuchVersion', { resource: `/${objectId}` });
      else if (version.deleteMarker) sendS3Error(req, res, 'MethodNotAllowed', { resource: `/${objectId}` });
      else {
        // Its data is gone from s3rver: the head says what S3 keeps with the version, not its size.
        const lock = version.retention;
        answerHere(req, res, fault === 'lose-response', 200, {
          'x-amz-version-id': version.versionId,
          'last-modified': version.lastModified.toUTCString(),
          ...(lock ? { 'x-amz-object-lock-mode': lock.mode, 'x-amz-object-lock-retain-until-date': lock.retainUntil.toISOString() } : {}),
        });
      }
      return;
    }
    if (parsed.operation === 'DeleteObjects' && locks.hasAny()) {
      sendS3Error(req, res, 'NotImplemented', { message: 'DeleteObjects is not modelled by the test server once objects are under retention' });
      return;
    }

    const uploadId = parsed.query.uploadId;
    const upload = parsed.bucket !== undefined && uploadId !== undefined ? uploads.get(parsed.bucket, uploadId) : undefined;
    if ((parsed.operation === 'UploadPart' || parsed.operation === 'CompleteMultipartUpload' || parsed.operation === 'AbortMultipartUpload') && upload?.key !== parsed.key) {
      sendS3Error(req, res, 'NoSuchUpload', { resource: `/${objectId ?? ''}`, extra: { UploadId: uploadId ?? '' } });
      return;
    }
    if (parsed.operation === 'AbortMultipartUpload' && upload) {
      // s3rver has no AbortMultipartUpload (405): the proxy drops the upload and its parts.
      uploads.ended(upload.bucket, upload.uploadId);
      // A part still arriving may be writing into the directory: retried, and best effort.
      const parts = join(s3rver.store.getResourcePath(upload.bucket, undefined, 'uploads'), upload.uploadId);
      await rm(parts, { recursive: true, force: true, maxRetries: 5 }).catch(() => undefined);
      answerHere(req, res, fault === 'lose-response', 204, {});
      return;
    }

    // Bucket-level operations s3rver lacks or gets wrong, answered here: the same access and bucket checks first.
    if (OWN_BUCKET_OPERATIONS.has(parsed.operation) && parsed.bucket !== undefined) {
      const bucket = parsed.bucket;
      if (accessKeyId !== S3_TEST_CREDENTIALS.accessKeyId) {
        sendS3Error(req, res, 'InvalidAccessKeyId');
        return;
      }
      if (!(await s3rver.store.getBucket(bucket))) {
        sendS3Error(req, res, 'NoSuchBucket', { resource: `/${bucket}`, extra: { BucketName: bucket } });
        return;
      }
      switch (parsed.operation) {
        case 'ListMultipartUploads':
          answerListMultipartUploads(uploads, bucket, parsed.query, req, res);
          return;
        case 'ListObjectVersions':
          answerListObjectVersions(locks, bucket, parsed.query, req, res);
          return;
        case 'GetObjectLockConfiguration':
          answerObjectLockConfiguration(objectLock ? (options.defaultRetention ? { defaultRetention: options.defaultRetention } : {}) : undefined, req, res);
          return;
        case 'ListObjectsV2':
          await answerListObjectsV2(s3rver.store, bucket, parsed.query, req, res);
          return;
      }
    }

    forward(req, res, parsed, fault === 'lose-response');
  }

  function injectFault(fault: FaultKind, req: IncomingMessage, res: ServerResponse, parsed: ParsedS3Request): void {
    const resource = `/${parsed.bucket ?? ''}${parsed.key !== undefined ? `/${parsed.key}` : ''}`;
    if (fault === 500) sendS3Error(req, res, 'InternalError', { resource });
    else if (fault === 503) sendS3Error(req, res, 'ServiceUnavailable', { resource });
    else if (fault === 'SlowDown') sendS3Error(req, res, 'SlowDown', { resource });
    else {
      const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
      // Mid-upload: some of the body has arrived when the connection goes.
      if (hasBody) req.once('data', () => req.socket.destroy());
      else req.socket.destroy();
    }
  }

  function forward(req: IncomingMessage, res: ServerResponse, parsed: ParsedS3Request, loseResponse: boolean): void {
    // The proxy already answered "100 Continue" itself; the signature does not cover Expect.
    const headers: OutgoingHttpHeaders = { ...req.headers };
    delete headers.expect;
    const requestBody: Buffer[] = [];
    if (parsed.operation === 'CompleteMultipartUpload') req.on('data', (chunk: Buffer) => requestBody.push(chunk));
    const upstream = httpRequest(
      { host: upstreamAddress.address, port: upstreamAddress.port, method: req.method, path: req.url, headers, agent: upstreamAgent },
      (answer) => {
        const status = answer.statusCode ?? 502;
        const effect = status < 300 && parsed.key !== undefined ? recordEffect(req, parsed, parsed.key, Buffer.concat(requestBody).toString('utf8')) : {};
        if (status < 300 && parsed.operation === 'CreateMultipartUpload') recordUploadStarted(answer, parsed);
        if (loseResponse) {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        const lock = parsed.key !== undefined && (parsed.operation === 'HeadObject' || parsed.operation === 'GetObject') ? locks.get(parsed.key) : undefined;
        const versionId = parsed.key !== undefined && status < 300 && (parsed.operation === 'HeadObject' || parsed.operation === 'GetObject' || writesObject(parsed.operation)) ? locks.versionOf(parsed.key) : undefined;
        const multipartEtag = parsed.key !== undefined && (parsed.operation === 'HeadObject' || parsed.operation === 'GetObject') ? multipartEtags.get(parsed.key) : undefined;
        const etag = options.opaqueEtags && (parsed.operation === 'HeadObject' || parsed.operation === 'GetObject') ? opaqueEtag(multipartEtag ?? answer.headers.etag) : multipartEtag;
        res.writeHead(status, {
          ...answer.headers,
          ...(etag ? { etag } : {}),
          ...(lock ? { 'x-amz-object-lock-mode': lock.mode, 'x-amz-object-lock-retain-until-date': lock.retainUntil.toISOString() } : {}),
          ...(versionId !== undefined ? { 'x-amz-version-id': versionId } : {}),
          ...effect,
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  }

  /** Notes what a write or delete s3rver answered did; returns the headers S3 adds for it. */
  function recordEffect(req: IncomingMessage, parsed: ParsedS3Request, key: string, requestBody: string): OutgoingHttpHeaders {
    const retention = ObjectLockRegistry.fromHeaders(req.headers) ?? defaultRetentionFrom(now());
    switch (parsed.operation) {
      case 'PutObject':
      case 'CopyObject':
        locks.written(key, retention, now());
        multipartEtags.delete(key);
        break;
      case 'CreateMultipartUpload':
        locks.uploadStarted(key, retention);
        break;
      case 'CompleteMultipartUpload':
        locks.uploadCompleted(key, now());
        multipartEtags.set(key, multipartEtag(requestBody));
        if (parsed.bucket !== undefined && parsed.query.uploadId !== undefined) uploads.ended(parsed.bucket, parsed.query.uploadId);
        break;
      case 'DeleteObject': {
        multipartEtags.delete(key);
        const deleted = locks.deleted(key, parsed.query.versionId, now());
        return deleted ? { 'x-amz-version-id': deleted.versionId, ...(deleted.deleteMarker ? { 'x-amz-delete-marker': 'true' } : {}) } : {};
      }
      default:
        break;
    }
    return {};
  }

  /** Reads the upload ID off s3rver's answer as it passes; registered before the client can use it. */
  function recordUploadStarted(answer: IncomingMessage, parsed: ParsedS3Request): void {
    const initiated = now();
    const chunks: Buffer[] = [];
    answer.on('data', (chunk: Buffer) => chunks.push(chunk));
    answer.on('end', () => {
      const uploadId = uploadIdOf(Buffer.concat(chunks).toString('utf8'));
      if (uploadId !== undefined && parsed.bucket !== undefined && parsed.key !== undefined) uploads.started({ bucket: parsed.bucket, key: parsed.key, uploadId, initiated });
    });
  }

  function defaultRetentionFrom(at: Date): RetentionSeen | undefined {
    const retention = options.defaultRetention;
    return retention ? { mode: retention.mode, retainUntil: new Date(at.getTime() + retention.days * 86_400_000) } : undefined;
  }

  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const query = `endpoint=${endpoint}&forcePathStyle=true&region=us-east-1`;

  return {
    endpoint,
    bucket,
    url: `s3://${bucket}?${query}`,
    urlWithPrefix: (prefix) => `s3://${bucket}/${prefix}?${query}`,
    env: { AWS_ACCESS_KEY_ID: S3_TEST_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: S3_TEST_CREDENTIALS.secretAccessKey },
    requestLog: log,
    faults,
    hiddenVersions: () => locks.hiddenKeys(),
    versions: (prefix = '') => locks.list(prefix),
    clearLog: () => {
      log.length = 0;
    },
    close: async () => {
      await new Promise<void>((resolve) => {
        proxy.close(() => resolve());
        proxy.closeAllConnections();
      });
      upstreamAgent.destroy();
      await s3rver.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** An answer of the proxy's own, once the request is read; or, for a lost response, none. */
function answerHere(req: IncomingMessage, res: ServerResponse, loseResponse: boolean, status: number, headers: OutgoingHttpHeaders): void {
  req.resume();
  req.on('end', () => {
    if (loseResponse) req.socket.destroy();
    else {
      res.writeHead(status, headers);
      res.end();
    }
  });
}

/** Whether the request proves its body's integrity as S3 Object Lock demands: Content-MD5, or a checksum in a header or trailer. */
function carriesChecksum(headers: IncomingHttpHeaders): boolean {
  if (headers['content-md5'] !== undefined) return true;
  const trailer = headers['x-amz-trailer'];
  if (typeof trailer === 'string' && trailer.toLowerCase().startsWith('x-amz-checksum-')) return true;
  return Object.keys(headers).some((name) => name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-algorithm' && name !== 'x-amz-checksum-type');
}

/** A stable ETag for the object that is not the MD5 of its content. */
function opaqueEtag(etag: string | undefined): string | undefined {
  return etag === undefined ? undefined : `"${createHash('md5').update(`sse-kms:${etag}`).digest('hex')}"`;
}

/** The ETag S3 gives a completed multipart upload, from the part ETags its request lists. */
function multipartEtag(completeRequestXml: string): string {
  const partMd5s = [...completeRequestXml.matchAll(/<ETag>(?:&quot;|")?([0-9a-fA-F]{32})(?:&quot;|")?<\/ETag>/g)].map((match) => Buffer.from(match[1] ?? '', 'hex'));
  return `"${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}"`;
}
