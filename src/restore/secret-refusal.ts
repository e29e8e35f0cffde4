import type { KubeApiError } from '../kube/api-error.js';

/** A request about Secrets (core v1): a collection, or one of them. */
const secretPath = /^\/api\/v1\/(?:namespaces\/[^/]+\/)?secrets(?:\/|$)/;

/**
 * The API server's refusal of a request about a Secret, without its message: validation and
 * admission webhooks may quote the values they refused, and a Secret's values must never reach
 * the log, the results or describe. The code, the reason and the fields named in the Status's
 * causes say what was refused. Undefined for requests about anything else.
 */
export function secretRefusal(err: KubeApiError): string | undefined {
  if (!secretPath.test(err.path)) return undefined;
  const fields = [...new Set((err.status?.details?.causes ?? []).flatMap((cause) => (cause.field ? [cause.field] : [])))];
  const head = `${err.code}${err.reason ? ` ${err.reason}` : ''}`;
  return `${head}${fields.length > 0 ? ` (fields: ${fields.join(', ')})` : ''}; the message is not shown: it may quote the Secret's data`;
}
