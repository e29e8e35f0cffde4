import assert from 'node:assert/strict';
import { listHeadBytes, readListHead } from '../../src/kube/list-head.js';

const read = (text: string) => readListHead(Buffer.from(text));
const typed = (metadata: string) => `{"kind":"ConfigMapList","apiVersion":"v1","metadata":${metadata},"items":[{"metadata":{"name":"a"}}`;

describe('readListHead (the continue token from the first bytes of a LIST answer)', () => {
  it('reads the token of a typed list, whose metadata comes before its items', () => {
    assert.deepEqual(read(typed('{"resourceVersion":"12","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ","remainingItemCount":9}')), { continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ' });
    assert.deepEqual(read('{"kind":"SecretList","apiVersion":"v1","metadata":{"continue":"a\\u002fb"},"items":['), { continue: 'a/b' });
  });

  it('says there is no next page when the metadata has no token, or an empty one', () => {
    assert.deepEqual(read(typed('{"resourceVersion":"12"}')), { continue: null });
    assert.deepEqual(read(typed('{"resourceVersion":"12","continue":""}')), { continue: null });
  });

  it('asks for more bytes while the metadata may still come', () => {
    assert.equal(read(''), 'more');
    assert.equal(read('{"ki'), 'more');
    assert.equal(read('{"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":"12","contin'), 'more');
  });

  it('gives up on lists of custom resources, whose keys are sorted (items before metadata)', () => {
    assert.equal(read('{"apiVersion":"example.com/v1","items":[{"apiVersion":"example.com/v1"'), 'unknown');
    assert.equal(read('[]'), 'unknown');
  });

  it('gives up on what it cannot read safely, rather than guess', () => {
    // A "}" inside a string ends the pattern early: the text does not parse.
    assert.equal(read(typed('{"selfLink":"/x}","continue":"t"}')), 'unknown');
    assert.equal(read(typed('{"continue":7}')), 'unknown');
    const longKind = `{"kind":"${'x'.repeat(listHeadBytes)}","apiVersion":"v1","metadata":{"continue":"t"}}`;
    assert.equal(read(longKind), 'unknown');
  });
});
