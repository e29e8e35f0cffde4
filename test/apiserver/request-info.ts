/** What a resource URL addresses, as the apiserver's RequestInfoFactory reads it. */
export interface ResourceRequest {
  group: string;
  version: string;
  /** '' when the URL names no namespace. */
  namespace: string;
  resource: string;
  name: string;
  subresource: string;
  /** The deprecated /watch/ path prefix was used. */
  watchPrefix: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** Parses /api/v1/... and /apis/GROUP/VERSION/... resource paths; undefined for anything else. */
export function parseResourcePath(pathname: string): ResourceRequest | undefined {
  const parts = pathname.split('/').filter((p) => p !== '').map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (parts[0] === 'api' && parts.length >= 3) {
    group = '';
    version = parts[1] as string;
    rest = parts.slice(2);
  } else if (parts[0] === 'apis' && parts.length >= 4) {
    group = parts[1] as string;
    version = parts[2] as string;
    rest = parts.slice(3);
  } else {
    return undefined;
  }
  let watchPrefix = false;
  if (rest[0] === 'watch') {
    watchPrefix = true;
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1] as string;
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2] as string)) rest = rest.slice(2);
    else namespace = '';
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  return {
    group, version, namespace,
    resource: rest[0] as string,
    name: rest[1] ?? '',
    subresource: rest[2] ?? '',
    watchPrefix,
  };
}
