/** Bytes of a LIST answer looked at for its metadata; the metadata of a list is a few hundred. */
export const listHeadBytes = 4096;

const typedListStart = Buffer.from('{"kind":"');

/**
 * A LIST answer of a built-in type begins with its list metadata, as the API server encodes
 * typed lists: `{"kind":…,"apiVersion":…,"metadata":{…},"items":[…`. ListMeta holds only
 * scalars (resourceVersion, continue, remainingItemCount, selfLink), so the object ends at
 * the first `}`; a `}` inside a string makes the text fail to parse, which only means
 * "cannot tell". Lists of custom resources are unstructured maps, written with their keys in
 * alphabetical order (items before metadata): nothing can be told from their first bytes.
 */
const headPattern = /^\{"kind":"(?:[^"\\]|\\.)*","apiVersion":"(?:[^"\\]|\\.)*","metadata":(\{[^{}]*\})/;

/**
 * What the first bytes of a LIST answer say of the page after it: its continue token (`null`
 * when there is none: the last page), `'more'` when more bytes may tell, or `'unknown'` when
 * they will not (another encoding, or no metadata in the first listHeadBytes).
 */
export type ListHead = { continue: string | null } | 'more' | 'unknown';

/** Reads a LIST answer's first bytes, before the body is whole: the caller checks a token against the parsed answer. */
export function readListHead(head: Buffer): ListHead {
  const start = head.subarray(0, typedListStart.length);
  if (!start.equals(typedListStart.subarray(0, start.length))) return 'unknown';
  const match = headPattern.exec(head.toString('utf8', 0, Math.min(head.length, listHeadBytes)));
  if (!match) return head.length >= listHeadBytes ? 'unknown' : 'more';
  let meta: unknown;
  try {
    meta = JSON.parse(match[1]!);
  } catch {
    return 'unknown';
  }
  const token = (meta as { continue?: unknown }).continue;
  if (token === undefined || token === '') return { continue: null };
  return typeof token === 'string' ? { continue: token } : 'unknown';
}
