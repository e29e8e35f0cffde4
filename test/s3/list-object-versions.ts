import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectLockRegistry } from './object-lock-registry.js';
import { escapeXml, keyXml } from './s3-error-response.js';
import { maxKeysOf } from './list-objects-v2.js';

/**
 * Answers ListObjectVersions from the registry: the versions and delete markers of the keys
 * the server versions (s3rver has no versions), by key, newest first, paged by key-marker and
 * version-id-marker as S3 does. Keys the server does not version are not listed.
 */
export function answerListObjectVersions(versions: ObjectLockRegistry, bucket: string, query: Readonly<Record<string, string>>, req: IncomingMessage, res: ServerResponse): void {
  const maxKeys = maxKeysOf(query, req, res);
  if (maxKeys === undefined) return;
  const prefix = query.prefix ?? '';
  const keyMarker = query['key-marker'] ?? '';
  const versionIdMarker = query['version-id-marker'] ?? '';
  const urlEncoded = query['encoding-type'] === 'url';
  const text = (value: string): string => keyXml(value, urlEncoded);

  const all = versions.list(prefix);
  let start = 0;
  if (keyMarker !== '') {
    const marked = versionIdMarker === '' ? -1 : all.findIndex((version) => version.key === keyMarker && version.versionId === versionIdMarker);
    start = marked >= 0 ? marked + 1 : all.findIndex((version) => Buffer.compare(Buffer.from(version.key), Buffer.from(keyMarker)) > 0);
    if (start < 0) start = all.length;
  }
  const taken = all.slice(start, start + maxKeys);
  const isTruncated = start + taken.length < all.length;
  const last = taken.at(-1);
  const parts = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Name>${escapeXml(bucket)}</Name>`,
    `<Prefix>${text(prefix)}</Prefix>`,
    `<KeyMarker>${text(keyMarker)}</KeyMarker>`,
    `<VersionIdMarker>${escapeXml(versionIdMarker)}</VersionIdMarker>`,
    `<MaxKeys>${maxKeys}</MaxKeys>`,
    urlEncoded ? '<EncodingType>url</EncodingType>' : '',
    `<IsTruncated>${isTruncated}</IsTruncated>`,
    isTruncated && last ? `<NextKeyMarker>${text(last.key)}</NextKeyMarker><NextVersionIdMarker>${escapeXml(last.versionId)}</NextVersionIdMarker>` : '',
    ...taken.map((version) => {
      const common = `<Key>${text(version.key)}</Key><VersionId>${escapeXml(version.versionId)}</VersionId><IsLatest>${version.isLatest}</IsLatest><LastModified>${version.lastModified.toISOString()}</LastModified>`;
      return version.deleteMarker ? `<DeleteMarker>${common}</DeleteMarker>` : `<Version>${common}<StorageClass>STANDARD</StorageClass></Version>`;
    }),
    '</ListVersionsResult>',
  ];
  const body = parts.join('');
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
