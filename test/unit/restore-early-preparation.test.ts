import assert from 'node:assert/strict';
import { parseJson } from '../../src/kube/exact-json.js';
import type { KubeObject } from '../../src/kube/types.js';
import { earlyPreparation } from '../../src/restore/early-preparation.js';
import { preparationSettings, prepareItem } from '../../src/restore/item-preparation.js';
import { restoreLabels } from '../../src/restore/restore-labels.js';
import { actionContext } from '../builders/restore-action-context.js';
import { configMap, item, namespaceItem, ownedBy } from '../builders/restore-objects.js';
import type { ArchiveObject } from '../builders/restore-archive.js';

describe('restore: items prepared as the archive is read', () => {
  const labels = restoreLabels('b1', 'r1');
  const mappings = { a: 'mapped' };
  const prepare = earlyPreparation(preparationSettings({ name: 'r1', backupName: 'b1', namespaceMappings: new Map(Object.entries(mappings)), preserveNodePorts: false }));
  const locationOf = ({ resource, object }: ArchiveObject) => ({ resource, namespace: object.metadata.namespace, name: object.metadata.name! });
  const copy = (object: KubeObject): KubeObject => structuredClone(object);

  /** What create time makes of the item, with every fact of the archive known. */
  function atCreateTime(archived: ArchiveObject, tokenSecrets: string[] = []): KubeObject {
    const object = copy(archived.object);
    const namespace = object.metadata.namespace === undefined ? undefined : (mappings as Record<string, string>)[object.metadata.namespace] ?? object.metadata.namespace;
    prepareItem(object, namespace, actionContext({ mappings, tokenSecrets }), labels);
    return object;
  }

  function early(archived: ArchiveObject): KubeObject | undefined {
    const bytes = prepare(copy(archived.object), locationOf(archived));
    return bytes === undefined ? undefined : (parseJson(bytes.toString('utf8')) as KubeObject);
  }

  it('makes an item as create time would: stripped, in its mapped namespace, labelled', () => {
    const archived = configMap('a', 'settings', { k: 'v' }, { labels: { app: 'x' }, managedFields: [{ manager: 'kubectl' }] });
    const prepared = early(archived);
    assert.deepEqual(prepared, atCreateTime(archived));
    assert.deepEqual(prepared, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'mapped', labels: { app: 'x', ...labels } },
      data: { k: 'v' },
    });
  });

  it('runs the per-kind actions that need nothing of the rest of the archive: a Namespace is renamed by the mappings', () => {
    const archived = namespaceItem('a');
    assert.deepEqual(early(archived), atCreateTime(archived));
    assert.equal(early(archived)?.metadata.name, 'mapped');
  });

  it('leaves to create time an item whose action asks what the archive holds', () => {
    // Whether `builder-secret` is a token Secret is known once the whole archive is read.
    const account = item('serviceaccounts', 'v1', 'ServiceAccount', 'builder', 'a', { secrets: [{ name: 'builder-secret' }] });
    assert.equal(early(account), undefined);
    assert.deepEqual(atCreateTime(account, ['a/builder-secret']).secrets, undefined);
    // One whose action asks nothing of it is prepared.
    const plain = item('serviceaccounts', 'v1', 'ServiceAccount', 'plain', 'a');
    assert.deepEqual(early(plain), atCreateTime(plain));
  });

  it('leaves to create time an item with owner references, which are rewritten to the uids of owners created by then', () => {
    const owner = item('replicasets.apps', 'apps/v1', 'ReplicaSet', 'web', 'a');
    assert.equal(early(item('pods', 'v1', 'Pod', 'web-1', 'a', {}, ownedBy(owner))), undefined);
  });

  it('leaves to create time an item it cannot serialise (nested too deeply for JSON.stringify)', () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 9000; level++) deep = { a: deep };
    const object = { ...configMap('a', 'deep').object, deep };
    assert.equal(prepare(object, { resource: 'configmaps', namespace: 'a', name: 'deep' }), undefined);
  });

  it('keeps integers beyond 2^53 digit for digit', () => {
    const text = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"ids","namespace":"a"},"unknownField":18446744073709551615}';
    const object = parseJson(text) as KubeObject;
    const bytes = prepare(object, { resource: 'configmaps', namespace: 'a', name: 'ids' });
    assert.match(bytes!.toString('utf8'), /"unknownField":18446744073709551615[,}]/);
  });
});
