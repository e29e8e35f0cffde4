import { parse as parseYaml } from 'yaml';
import { badRequest, unsupportedMediaType } from './api-error.js';
import { isObject, type JsonObject } from './json.js';
import type { PatchType } from './patch-application.js';
import { decodeProtobufObject, PROTOBUF_CONTENT_TYPE } from './protobuf-decoder.js';

export type OutputForm = 'object' | 'table' | 'metadata' | 'aggregated-discovery';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  return accept.split(',').map((part) => {
    const [type, ...rawParams] = part.split(';').map((s) => s.trim());
    const params: Record<string, string> = {};
    for (const p of rawParams) {
      const eq = p.indexOf('=');
      if (eq > 0) params[p.slice(0, eq).trim()] = p.slice(eq + 1).trim();
    }
    return { type: (type ?? '').toLowerCase(), params };
  });
}

/**
 * The first form the client accepts that the server can produce, in the client's order. For a
 * list, metadata only as PartialObjectMetadataList, for one object as PartialObjectMetadata: the
 * other kind is not acceptable, and the next range is tried, as the real server does.
 */
export function negotiateOutput(accept: string | undefined, target?: 'list' | 'object'): OutputForm {
  for (const range of parseAccept(accept)) {
    const { as, g, v } = range.params;
    if (range.type !== 'application/json' && range.type !== '*/*') continue;
    if (as === undefined) return 'object';
    if (as === 'Table' && g === 'meta.k8s.io' && (v === 'v1' || v === 'v1beta1')) return 'table';
    if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && g === 'meta.k8s.io') {
      if ((as === 'PartialObjectMetadataList' && target === 'object') || (as === 'PartialObjectMetadata' && target === 'list')) continue;
      return 'metadata';
    }
    if (as === 'APIGroupDiscoveryList' && g === 'apidiscovery.k8s.io' && v === 'v2') return 'aggregated-discovery';
  }
  return 'object';
}

/** Decodes a create/update body (JSON, or YAML as the real server also takes). */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): JsonObject {
  const type = (contentType ?? 'application/json').split(';')[0]?.trim().toLowerCase() ?? '';
  let value: unknown;
  const text = body.toString('utf8');
  if (type === 'application/yaml' || type === 'application/x-yaml') {
    try {
      value = parseYaml(text);
    } catch (err) {
      throw badRequest(`error converting YAML to JSON: ${(err as Error).message}`);
    }
  } else if (type === 'application/json' || type === '' || type === '*/*') {
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw badRequest(`couldn't get version/kind; json parse error: ${(err as Error).message}`);
    }
  } else if (type === PROTOBUF_CONTENT_TYPE) {
    value = decodeProtobufObject(body);
  } else {
    throw unsupportedMediaType(['application/json', 'application/yaml', PROTOBUF_CONTENT_TYPE]);
  }
  if (!isObject(value)) throw badRequest("Object 'Kind' is missing in the request body");
  return value;
}

export function patchTypeOf(contentType: string | undefined, builtIn: boolean): PatchType {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  switch (type) {
    case 'application/json-patch+json': return 'json';
    case 'application/merge-patch+json': return 'merge';
    case 'application/strategic-merge-patch+json': return 'strategic';
    case 'application/apply-patch+yaml': return 'apply';
    default: {
      const accepted = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];
      if (builtIn) accepted.push('application/strategic-merge-patch+json');
      throw unsupportedMediaType(accepted);
    }
  }
}
