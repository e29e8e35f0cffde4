/** Shapes of the API answers the test-apiserver tests read. */
export interface Meta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  generation?: number;
  creationTimestamp: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  finalizers?: string[];
  ownerReferences?: { uid: string; name: string }[];
  managedFields?: { manager: string; operation: string; subresource?: string; fieldsV1: Record<string, unknown> }[];
}

export interface Obj {
  kind?: string;
  apiVersion?: string;
  metadata: Meta;
  data?: Record<string, string>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  type?: string;
}

export interface ListBody {
  kind: string;
  apiVersion: string;
  metadata: { resourceVersion: string; continue?: string; remainingItemCount?: number };
  items: Obj[];
}

export interface StatusBody {
  kind: string;
  apiVersion: string;
  status: string;
  reason: string;
  code: number;
  message: string;
  metadata: { continue?: string };
  details?: { name?: string; group?: string; kind?: string; uid?: string; retryAfterSeconds?: number; causes?: { reason: string; field: string; message: string }[] };
}
