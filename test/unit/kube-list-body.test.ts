import assert from 'node:assert/strict';
import { parseListBody } from '../../src/kube/list-body.js';

/** What parseListBody must always give: JSON.parse of the whole body. */
function assertParsesLikeJson(text: string): void {
  assert.deepEqual(parseListBody(Buffer.from(text)), JSON.parse(text));
}

/** A typed list as the API server encodes one: its metadata first, items without kind. */
function typedList(items: object[], metadata: object = { resourceVersion: '7', continue: 'tok' }): string {
  return JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata, items });
}

const configMap = (name: string, data: Record<string, string> = { key: 'value' }) => ({
  metadata: { name, namespace: 'ns1', uid: `uid-${name}`, managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { '.': {}, 'f:key': {} } } }] },
  data,
});

describe('parseListBody (LIST answers parsed item by item)', () => {
  it('gives what JSON.parse gives for typed lists: empty, one item, many items', () => {
    assertParsesLikeJson(typedList([]));
    assertParsesLikeJson(typedList([configMap('a')]));
    assertParsesLikeJson(typedList(Array.from({ length: 50 }, (_, i) => configMap(`cm-${i}`))));
  });

  it('gives what JSON.parse gives for lists of custom resources, whose keys are sorted (items before metadata)', () => {
    const item = (name: string) => ({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name, managedFields: [{ apiVersion: 'example.com/v1', fieldsType: 'FieldsV1' }, { apiVersion: 'example.com/v1' }] }, spec: { size: 3 } });
    assertParsesLikeJson(JSON.stringify({ apiVersion: 'example.com/v1', items: [item('a'), item('b'), item('c')], kind: 'WidgetList', metadata: { continue: '', resourceVersion: '9' } }));
  });

  it('finds the right item ends when the text that starts the next item also occurs inside an item', () => {
    // A StatefulSet's volumeClaimTemplates are objects that start with "metadata", as items do.
    const statefulSet = (name: string) => ({
      metadata: { name },
      spec: { volumeClaimTemplates: [{ metadata: { name: 'data' } }, { metadata: { name: 'logs' } }, { metadata: { name: 'tmp' } }] },
    });
    assertParsesLikeJson(typedList([statefulSet('a'), statefulSet('b'), statefulSet('c')]));
  });

  it('is not misled by strings that hold JSON, quotes, backslashes, braces or multibyte text', () => {
    assertParsesLikeJson(
      typedList([
        configMap('a', { json: '},{"metadata":{"name":"fake"}}]}', quoted: 'say "hi" \\', tricky: '\\"},{\\"metadata\\":' }),
        configMap('b', { backslashes: '\\\\\\', unicode: 'žluťoučký kůň 🐎 — ☃', escaped: '\u0000\u001f\u2028' }),
        configMap('c', { braces: '{[}]"', empty: '' }),
      ]),
    );
  });

  it('handles items of other shapes: numbers, literals, nested arrays, empty objects', () => {
    assertParsesLikeJson(typedList([{ metadata: { name: 'a', generation: 12 }, spec: { replicas: 0, ratio: -1.5e-3, on: true, off: false, none: null, list: [[1, 2], [], [{}]] } }, {}, { metadata: {} }]));
  });

  it('handles white space anywhere, as a pretty-printed answer has it', () => {
    const list = JSON.parse(typedList([configMap('a'), configMap('b')])) as object;
    assertParsesLikeJson(JSON.stringify(list, null, 2));
    assertParsesLikeJson(`\n ${JSON.stringify(list, null, '\t')}\r\n`);
  });

  it('keeps JSON.parse semantics where keys repeat or are special', () => {
    assertParsesLikeJson('{"kind":"List","items":[{"metadata":{"name":"a","name":"b"}},{"metadata":{"__proto__":{"x":1}}}],"metadata":{}}');
    assertParsesLikeJson('{"kind":"List","metadata":{"continue":"a"},"metadata":{"continue":"b"},"items":[]}');
    assertParsesLikeJson('{"kind":"List","items":[{"a":1}],"items":[{"b":2}]}');
  });

  it('never makes a well-formed list one string: each item is parsed alone', () => {
    const wholeBody = () => {
      throw new Error('the body was decoded whole');
    };
    const lists = [
      typedList(Array.from({ length: 20 }, (_, i) => configMap(`cm-${i}`))),
      JSON.stringify({ apiVersion: 'example.com/v1', items: [{ apiVersion: 'example.com/v1', kind: 'W', metadata: { name: 'a' } }], kind: 'WList', metadata: {} }),
      typedList([{ metadata: { name: 'a' }, spec: { templates: [{ metadata: {} }, { metadata: {} }] } }, { metadata: { name: 'b' } }]),
      JSON.stringify(JSON.parse(typedList([configMap('a'), configMap('b')])), null, 2),
    ];
    for (const text of lists) assert.deepEqual(parseListBody(Buffer.from(text), wholeBody), JSON.parse(text));
    // Other layouts are parsed whole, which is where the fallback comes in.
    assert.throws(() => parseListBody(Buffer.from('{"kind":"Status"}'), wholeBody), /decoded whole/);
  });

  it('maps each item as it is parsed, in order, whether the body is parsed item by item or whole', () => {
    const mapItem = (item: unknown) => ({ kept: (item as { metadata: { name: string } }).metadata.name });
    const byItems = typedList([configMap('a'), configMap('b'), configMap('c')]);
    const expected = { ...(JSON.parse(byItems) as object), items: [{ kept: 'a' }, { kept: 'b' }, { kept: 'c' }] };
    assert.deepEqual(parseListBody(Buffer.from(byItems), undefined, mapItem), expected);
    // A second items array is JSON.parse's to resolve: the body is parsed whole, and mapped all the same.
    const whole = '{"kind":"List","items":[{"metadata":{"name":"x"}}],"items":[{"metadata":{"name":"y"}}]}';
    assert.deepEqual(parseListBody(Buffer.from(whole), undefined, mapItem), { kind: 'List', items: [{ kept: 'y' }] });
    // Items that contain the text that starts the next item are delimited by a scan: mapped once each.
    const nested = typedList([{ metadata: { name: 'p' }, spec: { templates: [{ metadata: {} }, { metadata: {} }] } }, { metadata: { name: 'q' } }]);
    const seen: unknown[] = [];
    parseListBody(Buffer.from(nested), undefined, (item) => seen.push(item));
    assert.deepEqual(seen, (JSON.parse(nested) as { items: unknown[] }).items);
  });

  it('parses bodies without an items array whole', () => {
    assertParsesLikeJson('{"kind":"Status","status":"Failure","code":410}');
    assertParsesLikeJson('{"kind":"List","items":null}');
    assertParsesLikeJson('{}');
    assertParsesLikeJson('[]');
  });

  it('fails as JSON.parse fails on bodies that are not JSON', () => {
    for (const text of ['', '{"items":[{"metadata":{}}', '{"items":[{"a":1},]}', '{"items":[{"a":1}]} trailing', '{"items":[{"a":"unterminated}]}', 'not json']) {
      let expected: unknown;
      try {
        JSON.parse(text);
      } catch (err) {
        expected = err;
      }
      assert.ok(expected instanceof SyntaxError, `JSON.parse accepts ${text}`);
      assert.throws(() => parseListBody(Buffer.from(text)), { name: 'SyntaxError', message: (expected as Error).message });
    }
  });

  it('gives what JSON.parse gives for many generated lists', () => {
    // Random objects from a small alphabet that is rich in JSON's own delimiters.
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const text = () => Array.from({ length: random(12) }, () => '{}[],:"\\ metadatax'[random(19)]).join('');
    const value = (depth: number): unknown => {
      switch (depth > 3 ? random(3) : random(6)) {
        case 0:
          return text();
        case 1:
          return random(1000) - 500;
        case 2:
          return [null, true, false][random(3)];
        case 3:
          return Array.from({ length: random(4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: random(4) }, () => [random(2) ? 'metadata' : text(), value(depth + 1)]));
      }
    };
    for (let n = 0; n < 300; n++) {
      const items = Array.from({ length: random(6) }, () => ({ metadata: { name: text() }, spec: value(0) }));
      assertParsesLikeJson(typedList(items));
    }
  });
});
