import type { KubeObject } from '../kube/types.js';
import { apiGroup, apiVersion, managedByLabel, managedByValue, ownResources, type OwnResource } from './api-group.js';

type Schema = Record<string, unknown>;

const str = (description: string): Schema => ({ type: 'string', description });
const time = (description: string): Schema => ({ type: 'string', format: 'date-time', description });
const int = (description: string): Schema => ({ type: 'integer', format: 'int64', description });
/** An object typed where printer columns and selectors read; everything else kept as written. */
const open = (properties: Record<string, Schema>): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties });

/** An object of ours: the usual envelope, the resource's spec, and a status kept as the engine writes it. */
function objectSchema(description: string, spec: Schema, status: Record<string, Schema>): Schema {
  return {
    type: 'object',
    description,
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { type: 'object' },
      spec,
      status: open(status),
    },
  };
}

/** The phase and times of a backup or restore run. */
function runStatus(what: string): Record<string, Schema> {
  return {
    phase: str('New, InProgress, Completed, PartiallyFailed or Failed'),
    startTimestamp: time(`when the ${what} started`),
    completionTimestamp: time(`when the ${what} ended`),
  };
}

/**
 * Backups and restores carry the spec and status the engine writes. Only the fields that
 * printer columns and selectors read are typed; the rest is kept as written
 * (`x-kubernetes-preserve-unknown-fields`), so a newer executable can add fields without a
 * schema change that older clusters would prune.
 */
const backupSchema = objectSchema(
  'A backup of cluster resources. The data and the final record live in the storage location; this object mirrors the record and shows progress while the backup runs.',
  open({
    storageLocation: str('name of the BackupStorageLocation, or the storage URL'),
    ttl: str('time to live, a Go duration such as 720h; 0 never expires'),
  }),
  {
    ...runStatus('backup'),
    expiration: time('when the backup expires and gc deletes it'),
    progress: open({ totalItems: int('items to back up'), itemsBackedUp: int('items written so far') }),
  },
);

const restoreSchema = objectSchema('A restore of a backup into the cluster.', open({ backupName: str('the backup restored from') }), runStatus('restore'));

/** Locations are ours alone: their spec is typed strictly, so a typo is refused by the API server. */
const locationSchema = objectSchema(
  'A named storage location for backups.',
  {
    type: 'object',
    required: ['url'],
    properties: {
      url: str('file:///abs/path or s3://bucket[/prefix][?region=R&endpoint=URL&forcePathStyle=true]'),
      credentialsSecret: str('name of a Secret in this namespace with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and optionally AWS_SESSION_TOKEN)'),
      default: { type: 'boolean', description: 'the location used when a command names none; at most one is the default' },
      accessMode: { type: 'string', enum: ['ReadWrite', 'ReadOnly'], description: 'ReadOnly locations can be restored from but not written' },
      objectLock: { type: 'string', enum: ['governance', 'compliance'], description: 'put every object under S3 Object Lock retention until the backup expires' },
    },
  },
  {
    phase: str('Available or Unavailable, as the last check found it'),
    lastValidationTime: time('when the location was last checked'),
    message: str('what the last check found'),
  },
);

interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'boolean' | 'date';
  jsonPath: string;
  description?: string;
  priority?: number;
}

const age: PrinterColumn = { name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' };
const phase: PrinterColumn = { name: 'Phase', type: 'string', jsonPath: '.status.phase' };

/**
 * Expiry is printed as a timestamp (type string): kubectl shows a `date` column as an age,
 * and a date in the future as "<invalid>".
 */
const columns: Record<OwnResource, PrinterColumn[]> = {
  backups: [
    phase,
    { name: 'Items', type: 'integer', jsonPath: '.status.progress.itemsBackedUp', description: 'items written' },
    { name: 'Expires', type: 'string', jsonPath: '.status.expiration', description: 'when gc deletes the backup' },
    { name: 'Location', type: 'string', jsonPath: '.spec.storageLocation', priority: 1 },
    age,
  ],
  restores: [phase, { name: 'Backup', type: 'string', jsonPath: '.spec.backupName' }, age],
  backupstoragelocations: [
    { name: 'URL', type: 'string', jsonPath: '.spec.url' },
    { name: 'Default', type: 'boolean', jsonPath: '.spec.default' },
    { name: 'Access Mode', type: 'string', jsonPath: '.spec.accessMode' },
    { name: 'Object Lock', type: 'string', jsonPath: '.spec.objectLock', priority: 1 },
    phase,
    age,
  ],
};

const schemas: Record<OwnResource, Schema> = {
  backups: backupSchema,
  restores: restoreSchema,
  backupstoragelocations: locationSchema,
};

export function crdName(resource: OwnResource): string {
  return `${resource}.${apiGroup}`;
}

export function customResourceDefinition(resource: OwnResource): KubeObject {
  const names = ownResources[resource];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: crdName(resource), labels: { [managedByLabel]: managedByValue } },
    spec: {
      group: apiGroup,
      scope: 'Namespaced',
      names: {
        plural: names.plural,
        singular: names.singular,
        kind: names.kind,
        listKind: `${names.kind}List`,
        shortNames: [names.shortName],
        categories: ['kubectl-backup'],
      },
      versions: [
        {
          name: apiVersion,
          served: true,
          storage: true,
          schema: { openAPIV3Schema: schemas[resource] },
          subresources: { status: {} },
          additionalPrinterColumns: columns[resource],
        },
      ],
    },
  };
}

export const ownResourceNames = Object.keys(ownResources) as OwnResource[];
