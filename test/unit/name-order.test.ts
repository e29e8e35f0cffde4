import assert from 'node:assert/strict';
import { compareNames, compareNamespaces } from '../../src/backup/name-order.js';

const byBytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe('name order: as API servers list names, by UTF-8 bytes', () => {
  it('puts a character above U+FFFF after one of U+E000–U+FFFF, where code units put it before', () => {
    assert.ok(compareNames('r！', 'r😀') < 0);
    assert.ok(compareNames('r😀', 'r！') > 0);
    assert.ok(compareNames('\u{e000}', '\u{10000}') < 0);
    assert.ok(compareNames('\u{ffff}x', '\u{10000}') < 0);
    assert.ok(compareNames('r😀', 'r😁') < 0, 'two characters above U+FFFF: code units agree');
    assert.ok(compareNames('r\u{d7ff}', 'r😀') < 0, 'below the surrogates: code units agree');
    assert.equal(compareNames('r😀', 'r😀'), 0);
  });

  it('orders ASCII names by code unit, a prefix first', () => {
    assert.ok(compareNames('a', 'b') < 0);
    assert.ok(compareNames('a', 'a-b') < 0);
    assert.ok(compareNames('B', 'a') < 0);
    assert.equal(compareNames('', ''), 0);
    assert.ok(compareNames('', 'a') < 0);
  });

  it('sorts as a byte comparison does, for names of every range', () => {
    const alphabet = ['a', 'z', '-', '\u{7f}', '\u{80}', 'é', '\u{d7ff}', '\u{e000}', '！', '\u{ffff}', '\u{10000}', '😀', '\u{10ffff}'];
    let seed = 7;
    const random = () => (seed = (seed * 48271) % 0x7fffffff) / 0x7fffffff;
    const names = Array.from({ length: 400 }, () => Array.from({ length: 1 + Math.floor(random() * 4) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
    assert.deepEqual([...names].sort(compareNames), [...names].sort(byBytes));
    for (const a of names.slice(0, 60)) for (const b of names.slice(0, 60)) assert.equal(Math.sign(compareNames(a, b)), Math.sign(byBytes(a, b)), `${a} ${b}`);
  });

  it('orders namespaces as their keys `namespace/name` come: "a-b" before "a"', () => {
    assert.ok(compareNamespaces('a-b', 'a') < 0);
    assert.ok(compareNamespaces('a', 'b') < 0);
    assert.equal(compareNamespaces('a', 'a'), 0);
  });
});
