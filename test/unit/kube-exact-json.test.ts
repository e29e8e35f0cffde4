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
});
