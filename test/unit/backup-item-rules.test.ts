import assert from 'node:assert/strict';
import { exclusionLabelOf, serializeItem } from '../../src/backup/item-rules.js';
import { isBeingDeleted } from '../../src/kube/types.js';
import type { KubeObject } from '../../src/kube/types.js';

const configMaps = { groupVersion: 'v1', kind: 'ConfigMap' };

describe('backup item rules', () => {
  it('store objects as compact JSON without managedFields, apiVersion and kind first when they were missing', () => {
    const object: KubeObject = { metadata: { name: 'a', namespace: 'n', managedFields: [{ manager: 'x' }] }, data: { k: 'v' } };
    const text = serializeItem(object, configMaps).toString();
    assert.equal(text, '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"n"},"data":{"k":"v"}}');
  });

  it('keep the apiVersion and kind an object has, and complete half of them', () => {
    const custom: KubeObject = { apiVersion: 'example.com/v2', kind: 'Widget', metadata: { name: 'w' } };
    assert.equal(serializeItem(custom, configMaps).toString(), '{"apiVersion":"example.com/v2","kind":"Widget","metadata":{"name":"w"}}');
    const half = JSON.parse(serializeItem({ kind: 'ConfigMap', metadata: { name: 'h' } }, configMaps).toString()) as KubeObject;
    assert.equal(half.apiVersion, 'v1');
    assert.equal(half.kind, 'ConfigMap');
  });

  it('store text in UTF-8 exactly, whatever its size and characters', () => {
    // Sizes on both sides of what Node's buffer pool serves (4 KB), and multi-byte characters
    // that make the byte count differ from the character count.
    for (const text of ['', 'plain', 'grüße, 日本語, 🦀'.repeat(3), 'x'.repeat(1400), 'ü'.repeat(2047), 'ü'.repeat(2048), '🦀'.repeat(5000)]) {
      const object: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'u' }, data: { text } };
      const stored = serializeItem(object, configMaps);
      assert.deepEqual(stored, Buffer.from(JSON.stringify(object), 'utf8'), `${text.length} characters`);
      assert.equal((JSON.parse(stored.toString('utf8')) as { data: { text: string } }).data.text, text);
      // Items of a LIST of built-in types come without apiVersion and kind: they are put in front.
      const listed: KubeObject = { metadata: { name: 'u' }, data: { text } };
      assert.deepEqual(serializeItem(listed, configMaps), Buffer.from(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', ...listed }), 'utf8'), `${text.length} characters, listed`);
    }
    assert.equal(serializeItem({ metadata: {} }, configMaps).toString(), '{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}');
  });

  it('know both exclusion labels, with the value true only', () => {
    assert.equal(exclusionLabelOf({ metadata: { labels: { 'kubectl-backup.io/exclude-from-backup': 'true' } } }), 'kubectl-backup.io/exclude-from-backup');
    assert.equal(exclusionLabelOf({ metadata: { labels: { 'velero.io/exclude-from-backup': 'true' } } }), 'velero.io/exclude-from-backup');
    assert.equal(exclusionLabelOf({ metadata: { labels: { 'velero.io/exclude-from-backup': 'false' } } }), undefined);
    assert.equal(exclusionLabelOf({ metadata: {} }), undefined);
  });

  it('see items being deleted', () => {
    assert.ok(isBeingDeleted({ metadata: { deletionTimestamp: '2024-01-01T00:00:00Z' } }));
    assert.ok(!isBeingDeleted({ metadata: {} }));
  });
});
