import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import YAML from 'yaml';
import { resourceListType } from '../../src/backup/resource-list-writer.js';
import { writeWithDetails } from '../../src/backup-records/details-writer.js';
import { restoredItemEntry, RestoredResourceList } from '../../src/restore/restored-resource-list.js';

/** Everything written to a stream, as text. */
function collect(): { out: PassThrough; text: () => string } {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { out, text: () => Buffer.concat(chunks).toString('utf8') };
}

describe("restore resource list: Velero's entries, written type by type", () => {
  it('names the type as Velero does: GROUP/VERSION/Kind, v1/Kind for the core group', () => {
    assert.equal(resourceListType('v1', 'ConfigMap'), 'v1/ConfigMap');
    assert.equal(resourceListType('apps/v1', 'Deployment'), 'apps/v1/Deployment');
    assert.equal(resourceListType('apiextensions.k8s.io/v1', 'CustomResourceDefinition'), 'apiextensions.k8s.io/v1/CustomResourceDefinition');
  });

  it('writes an item as namespace/name(outcome), or name(outcome) when cluster-scoped', () => {
    assert.equal(restoredItemEntry('shop', 'web', 'created'), 'shop/web(created)');
    assert.equal(restoredItemEntry('shop', 'web', 'updated'), 'shop/web(updated)');
    assert.equal(restoredItemEntry('shop', 'settings', 'skipped'), 'shop/settings(skipped)');
    assert.equal(restoredItemEntry('shop', 'flags', 'failed'), 'shop/flags(failed)');
    assert.equal(restoredItemEntry(undefined, 'shop', 'created'), 'shop(created)');
    assert.equal(restoredItemEntry(undefined, 'widgets.example.com', 'failed'), 'widgets.example.com(failed)');
  });

  it('sorts the entries of each type, writes held types only when told they are complete, and ends as one JSON map', async () => {
    const { out, text } = collect();
    const list = new RestoredResourceList(out);
    list.add('v1/Namespace', 'shop(skipped)');
    list.add('v1/ConfigMap', 'shop/b(created)');
    list.add('v1/ConfigMap', 'shop/a(failed)');
    list.add('v1/ConfigMap', 'other/z(updated)');
    await list.flush((type) => type === 'v1/Namespace');
    assert.equal(text(), '{"v1/ConfigMap":["other/z(updated)","shop/a(failed)","shop/b(created)"', 'only the complete type is written');
    list.add('v1/Namespace', 'made(created)');
    list.add('apps/v1/Deployment', 'shop/web(created)');
    await list.end();
    assert.deepEqual(JSON.parse(text()), {
      'v1/ConfigMap': ['other/z(updated)', 'shop/a(failed)', 'shop/b(created)'],
      'v1/Namespace': ['made(created)', 'shop(skipped)'],
      'apps/v1/Deployment': ['shop/web(created)'],
    });
  });

  it('is an empty map when nothing was restored', async () => {
    const { out, text } = collect();
    await new RestoredResourceList(out).end();
    assert.equal(text(), '{}');
  });

  it('waits for a slow output to drain instead of buffering without end', async () => {
    let writes = 0;
    let release: (() => void) | undefined;
    const out = new Writable({
      highWaterMark: 16,
      write(_chunk, _encoding, callback) {
        writes++;
        // The first writes are held back: the list must wait for 'drain' before it goes on.
        if (writes === 2) release = callback;
        else callback();
      },
    });
    const list = new RestoredResourceList(out);
    list.add('v1/ConfigMap', 'shop/a-long-enough-name(created)');
    list.add('v1/Secret', 'shop/another-long-name(created)');
    let flushed = false;
    const flushing = list.flush().then(() => (flushed = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(flushed, false, 'flush waits while the output is full');
    release!();
    await flushing;
    assert.equal(flushed, true);
  });
});

describe('describe --details: a resource list that is not available', () => {
  const head = { metadata: { name: 'old' } };
  const unavailable = { unavailable: 'not available: this restore was recorded without a resource list' };

  it('says so in text, after the description', async () => {
    const { out, text } = collect();
    await writeWithDetails(out, 'table', 'Name:  old\n', unavailable);
    assert.equal(text(), 'Name:  old\n\nResource List:  <not available: this restore was recorded without a resource list>\n');
  });

  it('is null in json and yaml', async () => {
    const json = collect();
    await writeWithDetails(json.out, 'json', head, unavailable);
    assert.deepEqual(JSON.parse(json.text()), { metadata: { name: 'old' }, resourceList: null });
    const yaml = collect();
    await writeWithDetails(yaml.out, 'yaml', head, unavailable);
    assert.deepEqual(YAML.parse(yaml.text()), { metadata: { name: 'old' }, resourceList: null });
  });
});
