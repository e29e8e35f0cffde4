export { startTestApiServer, type TestApiServer, type TestApiServerOptions } from './test-api-server.js';
export type { FaultSpec, FaultAction, ActiveFault, FaultInjector } from './faults.js';
export type { RequestLogEntry, RequestLog } from './request-log.js';
export type { KubeObject, ObjectMeta, OwnerReference } from './object-meta.js';
export type { SeedOptions } from './seed.js';
export { RawClient, type RawResponse } from './raw-client.js';
export type { ListBody, Meta, Obj, StatusBody } from './api-shapes.js';
