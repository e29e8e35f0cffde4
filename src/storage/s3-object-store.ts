import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectLockConfigurationCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  type PutObjectCommandInput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { CliError } from '../errors.js';
import { verifyArtifact } from './artifact-integrity.js';
import { DigestingStream } from './digesting-stream.js';
import { normalizePrefix, prefixedKey, unprefixedKey } from './layout.js';
import { assertValidKey } from './object-key.js';
import type { AbandonedWritesOptions, BucketObjectLock, ListedObject, ObjectInfo, ObjectStore, PutOptions, Retention, StoredObject } from './object-store.js';
import { describeS3Error, s3Attempts, s3ErrorCode, s3HttpStatus } from './s3-error.js';
import { S3ETag } from './s3-etag.js';
import { ObjectExistsError, ObjectLockedError, ObjectNotFoundError, StorageError } from './storage-errors.js';

export interface S3ObjectStoreOptions {
  readonly bucket: string;
  /** The location's prefix inside the bucket ('' or 'a/b'); keys are relative to it. */
  readonly prefix?: string;
  /** What describe() shows; defaults to s3://bucket/prefix. */
  readonly displayUrl?: string;
  /** Bytes per multipart part (at least 5 MiB, S3's minimum). */
  readonly partSize?: number;
  /** Parts uploaded at once; memory used by a put is about partSize × (queueSize + 1). */
  readonly queueSize?: number;
  /** Keys per ListObjectsV2 page, and uploads per ListMultipartUploads page (S3 gives at most 1000). */
  readonly listPageSize?: number;
}

const MIB = 1024 * 1024;
export const DEFAULT_PART_SIZE = 8 * MIB;
export const DEFAULT_QUEUE_SIZE = 3;

/**
 * Objects in an S3 bucket through the AWS SDK, which also retries throttling, 5xx answers and
 * broken connections (configured where the client is built, see open-object-store.ts).
 */
export class S3ObjectStore implements ObjectStore {
  readonly supportsRetention = true;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly displayUrl: string;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly listPageSize: number;

  constructor(
    private readonly client: S3Client,
    options: S3ObjectStoreOptions,
  ) {
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix ?? '');
    this.displayUrl = options.displayUrl ?? `s3://${this.bucket}${this.prefix ? `/${this.prefix.slice(0, -1)}` : ''}`;
    this.partSize = Math.max(options.partSize ?? DEFAULT_PART_SIZE, 5 * MIB);
    this.queueSize = Math.max(options.queueSize ?? DEFAULT_QUEUE_SIZE, 1);
    this.listPageSize = Math.min(Math.max(options.listPageSize ?? 1000, 1), 1000);
  }

  describe(): string {
    return this.displayUrl;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<StoredObject> {
    let fullKey: string;
    try {
      options.signal?.throwIfAborted();
      fullKey = this.fullKey(key);
      // Refusing before reading the body spares uploading a whole archive only to be refused.
      if (await this.head(key)) throw new ObjectExistsError(key, this.describe());
    } catch (err) {
      body.destroy();
      throw err;
    }

    const etag = new S3ETag(this.partSize);
    const digest = new DigestingStream((chunk) => etag.update(chunk));
    let bodyError: unknown;
    body.on('error', (err) => {
      bodyError ??= err;
      digest.destroy(err);
    });
    body.pipe(digest);

    const params: PutObjectCommandInput = {
      Bucket: this.bucket,
      Key: fullKey,
      Body: digest,
      ContentType: options.contentType ?? 'application/octet-stream',
      // Stores that know conditional writes refuse atomically when the key appeared meanwhile;
      // lib-storage sends it with PutObject and CompleteMultipartUpload.
      IfNoneMatch: '*',
      ...(options.retention ? retentionParams(options.retention) : {}),
    };
    const upload = new Upload({ client: this.client, params, partSize: this.partSize, queueSize: this.queueSize, leavePartsOnError: false });
    const onAbort = (): void => void upload.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      // An abort during the existence check happened before the listener was there.
      options.signal?.throwIfAborted();
      await upload.done();
    } catch (err) {
      body.destroy();
      digest.destroy();
      if (bodyError !== undefined) throw bodyError;
      if (options.signal?.aborted) throw options.signal.reason ?? err;
      if (await this.refusedBecauseExists(key, err)) {
        // A retried write whose first attempt landed but whose answer was lost finds its own object.
        const ours = { key, size: digest.byteCount, sha256: digest.sha256 };
        if (s3Attempts(err) > 1 && (await this.holdsOurObject(ours, etag.value()))) return ours;
        throw new ObjectExistsError(key, this.describe());
      }
      throw this.failure('write', key, err);
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
    return { key, size: digest.byteCount, sha256: digest.sha256 };
  }

  async get(key: string): Promise<Readable> {
    const fullKey = this.fullKey(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: fullKey }));
      if (!(response.Body instanceof Readable)) throw new Error('the response has no readable body');
      return response.Body;
    } catch (err) {
      if (s3ErrorCode(err) === 'NoSuchKey' || (s3HttpStatus(err) === 404 && s3ErrorCode(err) !== 'NoSuchBucket')) {
        throw new ObjectNotFoundError(key, this.describe());
      }
      throw this.failure('read', key, err);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    return (await this.inspect(key))?.info;
  }

  async *list(prefix: string): AsyncIterable<ListedObject> {
    const pages = paginateListObjectsV2({ client: this.client, pageSize: this.listPageSize }, { Bucket: this.bucket, Prefix: prefixedKey(this.prefix, prefix) });
    try {
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          const key = object.Key === undefined ? undefined : unprefixedKey(this.prefix, object.Key);
          // Zero-byte "folder" markers that consoles create are not objects of ours.
          if (key === undefined || key === '' || key.endsWith('/')) continue;
          yield { key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
        }
      }
    } catch (err) {
      throw this.failure('list', prefix || '/', err);
    }
  }

  /**
   * On a versioned bucket (every Object Lock bucket is one) a plain delete only hides the object
   * behind a delete marker, its data kept: there each version of the key, and each delete
   * marker, is deleted by its ID. The store knows the bucket is versioned when the object has a
   * version ID, or when the delete answers with a delete marker.
   */
  async delete(key: string): Promise<void> {
    const fullKey = this.fullKey(key);
    // Asking first refuses a retained object before anything of it changes: on a versioned
    // bucket a delete without a version ID would "succeed" by hiding it, data kept.
    const current = await this.inspect(key);
    const retainUntil = current?.info.retention?.retainUntil;
    if (retainUntil && retainUntil.getTime() > Date.now()) throw new ObjectLockedError(key, this.describe(), retainUntil);
    if (current?.versionId !== undefined) {
      await this.deleteVersions(key);
      return;
    }
    let answer;
    try {
      answer = await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: fullKey }));
    } catch (err) {
      throw await this.deleteFailure(key, undefined, err);
    }
    // No current version, yet a versioned bucket: versions a plain delete hid earlier may be kept.
    if (answer.DeleteMarker === true) await this.deleteVersions(key);
  }

  /**
   * Deletes every version and delete marker of the key: its older data versions first, its
   * current version next, the delete markers last, so that no older version shows meanwhile
   * and a failure leaves the key as it was seen. A version under retention stops it.
   */
  private async deleteVersions(key: string): Promise<void> {
    const versions = await this.versionsOf(key);
    const ordered = [
      ...versions.filter((version) => !version.deleteMarker && !version.isLatest),
      ...versions.filter((version) => !version.deleteMarker && version.isLatest),
      ...versions.filter((version) => version.deleteMarker),
    ];
    for (const { versionId } of ordered) {
      try {
        await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), VersionId: versionId }));
      } catch (err) {
        throw await this.deleteFailure(key, versionId, err);
      }
    }
  }

  /** The versions and delete markers of exactly this key (the listing's prefix also matches longer keys). */
  private async versionsOf(key: string): Promise<{ versionId: string; isLatest: boolean; deleteMarker: boolean }[]> {
    const fullKey = this.fullKey(key);
    const found: { versionId: string; isLatest: boolean; deleteMarker: boolean }[] = [];
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(
          new ListObjectVersionsCommand({
            Bucket: this.bucket,
            Prefix: fullKey,
            MaxKeys: this.listPageSize,
            ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
            ...(versionIdMarker !== undefined ? { VersionIdMarker: versionIdMarker } : {}),
          }),
        );
      } catch (err) {
        throw this.failed(`list the versions of "${key}"`, err, "the bucket is versioned: removing an object's data there needs the permissions s3:ListBucketVersions and s3:DeleteObjectVersion");
      }
      const entries = [...(page.Versions ?? []).map((v) => ({ ...v, deleteMarker: false })), ...(page.DeleteMarkers ?? []).map((m) => ({ ...m, deleteMarker: true }))];
      for (const entry of entries) {
        if (entry.Key === fullKey && entry.VersionId !== undefined) found.push({ versionId: entry.VersionId, isLatest: entry.IsLatest === true, deleteMarker: entry.deleteMarker });
      }
      // Keys come in order and this one sorts first: a page that reached another key is the last.
      const done = page.IsTruncated !== true || entries.some((entry) => entry.Key !== undefined && entry.Key !== fullKey);
      if (done) return found;
      if (page.NextKeyMarker === undefined || (page.NextKeyMarker === keyMarker && page.NextVersionIdMarker === versionIdMarker)) {
        throw this.failed(`list the versions of "${key}"`, new Error('the listing is truncated but says nowhere to continue'));
      }
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
  }

  /** A refused delete of the key (or of one version of it): retention says so with its date when it can. */
  private async deleteFailure(key: string, versionId: string | undefined, err: unknown): Promise<Error> {
    if (s3HttpStatus(err) === 403 || s3ErrorCode(err) === 'AccessDenied') {
      // Object Lock refuses with a bare AccessDenied; the object itself says until when.
      const info = (await this.inspect(key, versionId).catch(() => undefined))?.info;
      if (info?.retention && info.retention.retainUntil.getTime() > Date.now()) {
        return new ObjectLockedError(key, this.describe(), info.retention.retainUntil, { cause: err });
      }
      if (/object lock/i.test(String((err as Error).message))) return new ObjectLockedError(key, this.describe(), undefined, { cause: err });
    }
    return this.failure('delete', key, err);
  }

  /** HeadObject of the key's current version, or of the one named. */
  private async inspect(key: string, versionId?: string): Promise<{ info: ObjectInfo; versionId?: string } | undefined> {
    const fullKey = this.fullKey(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: fullKey, ...(versionId !== undefined ? { VersionId: versionId } : {}) }));
      const mode = response.ObjectLockMode;
      const until = response.ObjectLockRetainUntilDate;
      return {
        info: {
          size: response.ContentLength ?? 0,
          lastModified: response.LastModified ?? new Date(0),
          ...((mode === 'GOVERNANCE' || mode === 'COMPLIANCE') && until ? { retention: { mode, retainUntil: until } } : {}),
        },
        ...(response.VersionId !== undefined ? { versionId: response.VersionId } : {}),
      };
    } catch (err) {
      if (s3HttpStatus(err) === 404 || s3ErrorCode(err) === 'NotFound' || s3ErrorCode(err) === 'NoSuchKey') return undefined;
      throw this.failure('inspect', key, err);
    }
  }

  async objectLock(): Promise<BucketObjectLock> {
    let answer;
    try {
      answer = await this.client.send(new GetObjectLockConfigurationCommand({ Bucket: this.bucket }));
    } catch (err) {
      // A bucket created without Object Lock has no configuration to show.
      if (s3ErrorCode(err) === 'ObjectLockConfigurationNotFoundError') return { enabled: false };
      throw this.failed('read the Object Lock configuration of the bucket', err, 'reading it needs the permission s3:GetBucketObjectLockConfiguration');
    }
    const config = answer.ObjectLockConfiguration;
    const retention = config?.Rule?.DefaultRetention;
    const mode = retention?.Mode;
    return {
      enabled: config?.ObjectLockEnabled === 'Enabled',
      ...(mode === 'GOVERNANCE' || mode === 'COMPLIANCE'
        ? { defaultRetention: { mode, ...(retention?.Days !== undefined ? { days: retention.Days } : {}), ...(retention?.Years !== undefined ? { years: retention.Years } : {}) } }
        : {}),
    };
  }

  /**
   * Aborts the incomplete multipart uploads under the prefix initiated before `olderThan`:
   * those of a put whose process was killed (SIGKILL leaves the SDK no chance to abort),
   * which S3 keeps, and bills, until someone aborts them.
   */
  async removeAbandonedWrites(olderThan: Date, options: AbandonedWritesOptions = {}): Promise<number> {
    let removed = 0;
    for (const within of options.within ?? ['']) removed += await this.removeAbandonedUploads(within, olderThan, options.dryRun ?? false);
    return removed;
  }

  /** The incomplete multipart uploads under `within` (relative to the location) older than `olderThan`. */
  private async removeAbandonedUploads(within: string, olderThan: Date, dryRun: boolean): Promise<number> {
    const listPrefix = prefixedKey(this.prefix, within);
    let removed = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    for (;;) {
      let page;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({
            Bucket: this.bucket,
            MaxUploads: this.listPageSize,
            ...(listPrefix ? { Prefix: listPrefix } : {}),
            ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
            ...(uploadIdMarker !== undefined ? { UploadIdMarker: uploadIdMarker } : {}),
          }),
        );
      } catch (err) {
        throw this.failed('list the partial uploads', err);
      }
      for (const upload of page.Uploads ?? []) {
        // A store that ignored the prefix must not make us touch another location's uploads.
        const key = upload.Key === undefined ? undefined : unprefixedKey(this.prefix, upload.Key);
        if (key === undefined || !key.startsWith(within) || upload.UploadId === undefined || upload.Initiated === undefined || upload.Initiated >= olderThan) continue;
        if (dryRun || (await this.abortUpload(key, upload.UploadId))) removed++;
      }
      if (page.IsTruncated !== true) return removed;
      if (page.NextKeyMarker === undefined || (page.NextKeyMarker === keyMarker && page.NextUploadIdMarker === uploadIdMarker)) {
        throw this.failed('list the partial uploads', new Error('the listing is truncated but says nowhere to continue'));
      }
      keyMarker = page.NextKeyMarker;
      uploadIdMarker = page.NextUploadIdMarker;
    }
  }

  /** Whether this call aborted the upload: one completed or aborted elsewhere meanwhile is no longer there. */
  private async abortUpload(key: string, uploadId: string): Promise<boolean> {
    try {
      await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: prefixedKey(this.prefix, key), UploadId: uploadId }));
      return true;
    } catch (err) {
      // After a retry, most likely our own first attempt that landed with its answer lost.
      if (s3ErrorCode(err) === 'NoSuchUpload') return s3Attempts(err) > 1;
      throw this.failed(`abort the partial upload of "${key}"`, err);
    }
  }

  private async refusedBecauseExists(key: string, err: unknown): Promise<boolean> {
    const code = s3ErrorCode(err);
    // 412: the If-None-Match condition failed; 409: a concurrent conditional write won.
    if (code === 'PreconditionFailed' || code === 'ConditionalRequestConflict' || s3HttpStatus(err) === 412) return true;
    // A write-once (WORM) bucket says AccessDenied: only the object's presence tells it from a
    // missing permission.
    if (s3HttpStatus(err) === 403 || code === 'AccessDenied') return (await this.head(key).catch(() => undefined)) !== undefined;
    return false;
  }

  private async holdsOurObject(ours: StoredObject, etag: string): Promise<boolean> {
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.fullKey(ours.key) }));
      if (response.ETag === etag) return true;
      // Objects encrypted with SSE-KMS or SSE-C have ETags that are no MD5: only the content tells.
      if (response.ContentLength !== ours.size) return false;
      await verifyArtifact(this, ours);
      return true;
    } catch {
      return false;
    }
  }

  private fullKey(key: string): string {
    assertValidKey(key);
    return prefixedKey(this.prefix, key);
  }

  private failure(action: string, key: string, err: unknown): Error {
    return this.failed(`${action} "${key}"`, err);
  }

  private failed(what: string, err: unknown, hint?: string): Error {
    if (err instanceof CliError) return err;
    return new StorageError(`cannot ${what} in ${this.describe()}: ${describeS3Error(err)}${hint ? `; ${hint}` : ''}`, { cause: err });
  }
}

function retentionParams(retention: Retention): Partial<PutObjectCommandInput> {
  return {
    ObjectLockMode: retention.mode,
    ObjectLockRetainUntilDate: retention.retainUntil,
    // S3 takes a retention only with an integrity checksum. lib-storage sends buffered parts,
    // so the SDK puts it in a header (no aws-chunked body, which some S3 servers mangle).
    ChecksumAlgorithm: 'CRC32',
  };
}
