import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BadInputError } from '../errors.js';

/**
 * Storage location URLs (storage.md, "Locations"):
 *   file:///abs/path
 *   s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]
 * Error messages never repeat the query string or user info, where secrets would be.
 */
export type LocationUrl = FileLocationUrl | S3LocationUrl;

export interface FileLocationUrl {
  readonly scheme: 'file';
  /** Absolute, decoded. */
  readonly path: string;
}

export interface S3LocationUrl {
  readonly scheme: 's3';
  readonly bucket: string;
  /** '' or 'a/b': no slash at either end. */
  readonly prefix: string;
  readonly region?: string;
  /** An http(s) URL, for S3-compatible stores. */
  readonly endpoint?: string;
  readonly forcePathStyle?: boolean;
}

const S3_PARAMETERS = ['region', 'endpoint', 'forcePathStyle'] as const;

export function parseLocationUrl(text: string): LocationUrl {
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(text)?.[1]?.toLowerCase();
  if (scheme === 'file') return parseFileUrl(text);
  // Nothing else has an "@" to give (bucket names, regions and endpoints without user info
  // have none; a prefix writes its "@" as %40), and a password may hold "/", "?" or "#", so
  // that no split of such a URL can tell where the credentials end.
  if (text.includes('@')) throw credentialsRefused();
  if (scheme === 's3') return parseS3Url(text);
  throw new BadInputError(
    `invalid storage URL ${quoteSafely(text)}: ${scheme ? `scheme "${scheme}:" is not supported` : 'it has no scheme'}; use file:///abs/path or s3://bucket[/prefix]`,
  );
}

export function formatLocationUrl(location: LocationUrl): string {
  if (location.scheme === 'file') return pathToFileURL(location.path).href;
  const path = location.prefix ? `/${location.prefix.split('/').map(encodeURIComponent).join('/')}` : '';
  const parameters: [string, string | undefined][] = [
    ['region', location.region],
    ['endpoint', location.endpoint],
    ['forcePathStyle', location.forcePathStyle === undefined ? undefined : String(location.forcePathStyle)],
  ];
  // ':' and '/' stay as they are, so that an endpoint reads as the URL it is.
  const search = parameters
    .filter((parameter): parameter is [string, string] => parameter[1] !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%2F/gi, '/')}`)
    .join('&');
  return `s3://${location.bucket}${path}${search ? `?${search}` : ''}`;
}

/**
 * The location used when no other is given: file://$XDG_DATA_HOME/kubectl-backup, and
 * ~/.local/share/kubectl-backup when XDG_DATA_HOME is unset or (as the XDG spec says to
 * treat it) not absolute.
 */
export function defaultLocationUrl(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME && isAbsolute(env.HOME) ? env.HOME : home, '.local', 'share');
  return pathToFileURL(join(dataHome, 'kubectl-backup')).href;
}

function parseFileUrl(text: string): FileLocationUrl {
  const bad = (problem: string): BadInputError => new BadInputError(`invalid storage URL ${quoteSafely(text)}: ${problem}`);
  if (/[?#]/.test(text)) throw bad('a file URL takes no query or fragment');
  const rest = text.slice('file:'.length);
  let pathPart: string;
  if (rest.startsWith('///')) pathPart = rest.slice(2);
  else if (rest.toLowerCase().startsWith('//localhost/')) pathPart = rest.slice('//localhost'.length);
  else if (rest.startsWith('//') && rest.slice(2).includes('@')) throw credentialsRefused();
  else throw bad('the path must be absolute, as in file:///abs/path (a relative path or a host is not allowed)');
  let path: string;
  try {
    path = fileURLToPath(new URL(`file://${pathPart}`));
  } catch (err) {
    throw bad(`the path is not valid: ${(err as Error).message}`);
  }
  return { scheme: 'file', path: path.length > 1 ? path.replace(/\/+$/, '') : path };
}

function parseS3Url(text: string): S3LocationUrl {
  const bad = (problem: string): BadInputError => new BadInputError(`invalid storage URL ${quoteSafely(text)}: ${problem}`);
  if (!/^s3:\/\//i.test(text)) throw bad('an S3 URL starts with s3:// and the bucket, as in s3://bucket/prefix');
  const withoutScheme = text.slice('s3://'.length);
  if (withoutScheme.includes('#')) throw bad('an S3 URL takes no fragment');
  const queryStart = withoutScheme.indexOf('?');
  const beforeQuery = queryStart < 0 ? withoutScheme : withoutScheme.slice(0, queryStart);
  const query = queryStart < 0 ? '' : withoutScheme.slice(queryStart + 1);
  const slash = beforeQuery.indexOf('/');
  const authority = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const rawPath = slash < 0 ? '' : beforeQuery.slice(slash + 1);

  if (authority === '') throw bad('the bucket is missing, as in s3://bucket/prefix');
  const bucketProblem = bucketNameProblem(authority);
  if (bucketProblem) throw bad(`bad bucket name "${authority}": ${bucketProblem}`);

  const prefix = parsePrefix(rawPath, bad);
  const parameters = parseS3Query(query, bad);
  return { scheme: 's3', bucket: authority, prefix, ...parameters };
}

function parsePrefix(rawPath: string, bad: (problem: string) => BadInputError): string {
  const trimmed = rawPath.replace(/\/+$/, '');
  if (trimmed === '') return '';
  const segments = trimmed.split('/').map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch {
      throw bad('the prefix has a malformed %-escape');
    }
  });
  for (const segment of segments) {
    if (segment === '') throw bad('the prefix contains an empty segment ("//")');
    if (segment === '.' || segment === '..') throw bad(`the prefix contains a "${segment}" segment`);
    if (segment.includes('/') || segment.includes('\\') || segment.includes('\0')) throw bad('the prefix contains an escaped "/", a backslash or a NUL');
  }
  return segments.join('/');
}

function parseS3Query(
  query: string,
  bad: (problem: string) => BadInputError,
): Pick<S3LocationUrl, 'region' | 'endpoint' | 'forcePathStyle'> {
  const seen = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (!(S3_PARAMETERS as readonly string[]).includes(name)) {
      // The name only: a value could be a secret someone tried to pass here.
      throw bad(`unknown query parameter "${name.slice(0, 40)}"; allowed: ${S3_PARAMETERS.join(', ')}`);
    }
    if (seen.has(name)) throw bad(`query parameter "${name}" is given twice`);
    if (value === '') throw bad(`query parameter "${name}" is empty`);
    seen.set(name, value);
  }
  const result: { region?: string; endpoint?: string; forcePathStyle?: boolean } = {};
  const region = seen.get('region');
  if (region !== undefined) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(region)) throw bad('region must be letters, digits, "-" and "_", as in region=eu-west-1');
    result.region = region;
  }
  const endpoint = seen.get('endpoint');
  if (endpoint !== undefined) result.endpoint = parseEndpoint(endpoint, bad);
  const forcePathStyle = seen.get('forcePathStyle');
  if (forcePathStyle !== undefined) {
    if (forcePathStyle !== 'true' && forcePathStyle !== 'false') throw bad('forcePathStyle must be true or false');
    result.forcePathStyle = forcePathStyle === 'true';
  }
  return result;
}

function parseEndpoint(value: string, bad: (problem: string) => BadInputError): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bad('endpoint is not a URL; give one such as endpoint=https://minio.example.com:9000');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bad('endpoint must be an http:// or https:// URL');
  if (url.username !== '' || url.password !== '') throw credentialsRefused();
  if (url.search !== '' || url.hash !== '') throw bad('endpoint takes no query or fragment');
  // URL normalises an empty path to "/"; keep the endpoint as people write it.
  return url.pathname === '/' ? `${url.protocol}//${url.host}` : `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
}

/** S3's bucket naming rules (general purpose buckets), which S3-compatible stores share. */
export function bucketNameProblem(bucket: string): string | undefined {
  if (bucket.length < 3 || bucket.length > 63) return 'it must be 3 to 63 characters long';
  if (!/^[a-z0-9.-]+$/.test(bucket)) return 'it may contain only lowercase letters, digits, "." and "-"';
  if (!/^[a-z0-9]/.test(bucket) || !/[a-z0-9]$/.test(bucket)) return 'it must start and end with a letter or digit';
  if (bucket.includes('..')) return 'it must not contain ".."';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(bucket)) return 'it must not look like an IP address';
  return undefined;
}

function credentialsRefused(): BadInputError {
  return new BadInputError(
    'invalid storage URL: it has credentials in it (an "@"), which would end up in records and logs; give them through the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), an AWS profile, or --credentials-secret (an "@" of a prefix is written %40)',
  );
}

/**
 * The URL for an error message: without query, fragment or anything that may be user info.
 * Everything up to the last "@" goes, not up to the first "/": a password may hold a "/" (and a
 * "?" or "#"), so only a URL whose authority is empty (file:///path) keeps the "@"s of its path.
 */
function quoteSafely(text: string): string {
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:(\/\/)?/.exec(text)?.[0] ?? '';
  let rest = text.slice(scheme.length);
  if (!rest.startsWith('/') && rest.includes('@')) rest = rest.slice(rest.lastIndexOf('@') + 1);
  const safe = scheme + (rest.split(/[?#]/, 1)[0] ?? '');
  return JSON.stringify(safe.length > 200 ? `${safe.slice(0, 200)}...` : safe);
}
