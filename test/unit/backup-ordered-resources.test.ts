import assert from 'node:assert/strict';
import { formatOrderedResources, parseOrderedItem, parseOrderedResources } from '../../src/backup/ordered-resources.js';
import { BadInputError } from '../../src/errors.js';

function failsNaming(text: string, fragment: string): void {
  assert.throws(
    () => parseOrderedResources(text),
    (err: unknown) => err instanceof BadInputError && err.message.includes(fragment),
    `${JSON.stringify(text)} should fail naming ${fragment}`,
  );
}

describe('backup --ordered-resources', () => {
  it('parses the example of backup.md', () => {
    assert.deepEqual(parseOrderedResources('pods=ns1/pod1,ns1/pod2;persistentvolumes=pv4,pv8'), {
      pods: ['ns1/pod1', 'ns1/pod2'],
      persistentvolumes: ['pv4', 'pv8'],
    });
  });

  it('trims whitespace around keys, lists and items', () => {
    assert.deepEqual(parseOrderedResources('pods= ns1/p1,ns1/p2 ; persistentvolumes=pv1,pv2'), {
      pods: ['ns1/p1', 'ns1/p2'],
      persistentvolumes: ['pv1', 'pv2'],
    });
    assert.deepEqual(parseOrderedResources('  statefulsets = ns1/sts1 , ns1/sts0  '), { statefulsets: ['ns1/sts1', 'ns1/sts0'] });
  });

  it('fails on an entry without "=", naming it', () => {
    failsNaming('pods= ns1/p1; ns1/p2', 'ns1/p2');
  });

  it('fails on an entry with two "="', () => {
    failsNaming('a=b=c', 'a=b=c');
  });

  it('fails on an empty string', () => {
    failsNaming('', 'empty');
    failsNaming('   ', 'empty');
  });

  it('fails on empty entries, items and keys, and on a key given twice', () => {
    failsNaming('pods=ns/a;', 'empty');
    failsNaming('pods=ns/a,,ns/b', 'empty');
    failsNaming('=ns/a', 'no resource');
    failsNaming('pods=', 'no items');
    failsNaming('pods=a/b/c', 'a/b/c');
    failsNaming('pods=ns/a;pods=ns/b', 'twice');
  });

  it('reads items as namespace/name or name', () => {
    assert.deepEqual(parseOrderedItem('ns1/pod1'), { namespace: 'ns1', name: 'pod1' });
    assert.deepEqual(parseOrderedItem('pv4'), { name: 'pv4' });
  });

  it('formats back to the flag syntax', () => {
    const text = 'pods=ns1/pod1,ns1/pod2;persistentvolumes=pv4,pv8';
    assert.equal(formatOrderedResources(parseOrderedResources(text)), text);
  });
});
