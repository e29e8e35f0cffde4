import assert from 'node:assert/strict';
import { serializeItem } from '../../src/backup/item-rules.js';
import { cloneJson, isExactInteger, parseJson } from '../../src/kube/exact-json.js';
import { parseListBody } from '../../src/kube/list-body.js';
import type { KubeList } from '../../src/kube/types.js';

describe('parseJson (integers beyond 2^53 kept exactly)', () => {
  it('writes back every digit of integers that JavaScript numbers round, wherever they are', () => {
    const text = '{"a":9007199254740993,"b":[-12345678901234567890,1],"c":{"d":123456789012345678901234567890}}';
    assert.notEqual(JSON.stringify(JSON.parse(text)), text, 'plain JSON.parse rounds them');
    assert.equal(JSON.stringify(parseJson(text)), text);
    assert.equal(JSON.stringify(cloneJson(parseJson(text))), text, 'and so does a copy');
  });

  it('leaves every other value as JSON.parse gives it', () => {
    const text = '{"safe":9007199254740991,"float":1.2345678901234567,"exp":12345678901234567e3,"text":"12345678901234567890","list":[1,"x",null,true]}';
    const parsed = parseJson(text) as Record<string, unknown>;
    assert.deepEqual(parsed, JSON.parse(text));
    assert.equal(isExactInteger(parsed.safe), false);
  });

  it('keeps big integers through a LIST page and into the stored form of a backup', () => {
    const body = '{"kind":"WidgetList","apiVersion":"example.com/v1","metadata":{},"items":[{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w","managedFields":[{"manager":"m"}]},"spec":{"id":18446744073709551615,"offset":-9007199254740993}}]}';
    const [item] = parseListBody<KubeList>(Buffer.from(body)).items;
    const stored = serializeItem(item!, { groupVersion: 'example.com/v1', kind: 'Widget' }).toString();
    assert.equal(stored, '{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"id":18446744073709551615,"offset":-9007199254740993}}');
  });

  it('keeps big integers exactly in objects nested too deep for a reviver (Kubernetes allows 10,000 levels)', () => {
    const depth = 1600; // an object and an array a level: 3,200 levels, past the reviver's reach
    const text = `${'{"a":['.repeat(depth)}18446744073709551615,-9007199254740993,"x\\"1234567890123456789",1.5,9007199254740991${']}'.repeat(depth)}`;
    const parsed = parseJson(text);
    assert.equal(JSON.stringify(parsed), text, 'written back digit for digit, strings untouched');
    let node = parsed as { a: unknown[] };
    for (let i = 1; i < depth; i++) node = node.a[0] as { a: unknown[] };
    assert.equal(isExactInteger(node.a[0]), true);
    assert.equal(isExactInteger(node.a[4]), false);
    assert.equal(node.a[2], 'x"1234567890123456789');
  });

  it('refuses a deep text that holds the mark it uses for long integers, rather than misread it', () => {
    const text = `${'{"a":['.repeat(3000)}18446744073709551615,"\\u0000exact-integer:1"${']}'.repeat(3000)}`;
    assert.throws(() => parseJson(text), RangeError);
  });
});
