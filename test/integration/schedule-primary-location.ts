import type { KubeClient } from '../../src/kube/client.js';
import { install } from '../../src/install/install.js';
import { createLocation } from '../../src/location/manage-locations.js';
import { resolveLocation } from '../../src/location/resolve.js';
import type { ObjectStore } from '../../src/storage/object-store.js';
import type { S3TestServer } from '../s3/s3-test-server.js';

/**
 * What schedules need before they can run: the tool installed in `namespace`, and a default
 * location "primary" under `prefix` of the S3 test server, its credentials in the Secret
 * `secret`. Returns the location's store, opened as commands open it.
 */
export async function installWithPrimaryLocation(client: KubeClient, namespace: string, s3: S3TestServer, prefix: string, secret = 's3'): Promise<ObjectStore> {
  await install(client, { namespace });
  await client.json({ method: 'POST', path: `/api/v1/namespaces/${namespace}/secrets`, body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: secret }, stringData: s3.env } });
  await createLocation(client, namespace, { name: 'primary', url: s3.urlWithPrefix(prefix), credentialsSecret: secret, default: true, accessMode: 'ReadWrite' });
  return (await resolveLocation({ storageLocation: 'primary' }, { client, namespace, env: {} })).store;
}
