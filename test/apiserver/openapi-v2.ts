// The Accept header asks for ...v2@v1.0+protobuf; the server answers with the parseable form.
export const OPENAPI_V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

function field(number: number, payload: Buffer): Buffer {
  // Length-delimited protobuf field (wire type 2); every length here fits one varint byte.
  return Buffer.concat([Buffer.from([(number << 3) | 2, payload.length]), payload]);
}

/**
 * An OpenAPI v2 document with no paths and no definitions. kubectl downloads /openapi/v2 (as
 * gnostic protobuf) for client-side validation of kinds the v3 documents do not cover, such as
 * a custom resource whose CRD is created by the same `kubectl apply`; kinds absent from the
 * document are not validated, so an empty one keeps kubectl working.
 */
export function emptyOpenApiV2(accept: string | undefined): { body: Buffer; contentType: string } {
  if (accept?.includes('protobuf')) {
    const info = Buffer.concat([field(1, Buffer.from('Kubernetes')), field(2, Buffer.from('v1.32.0'))]);
    return { body: Buffer.concat([field(1, Buffer.from('2.0')), field(2, info)]), contentType: OPENAPI_V2_PROTOBUF };
  }
  const json = { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.32.0' }, paths: {}, definitions: {} };
  return { body: Buffer.from(JSON.stringify(json)), contentType: 'application/json' };
}
