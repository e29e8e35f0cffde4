import assert from 'node:assert/strict';
import { defaultMaxPageBytes, defaultPageBytes, PageLimit } from '../../src/backup/page-limit.js';

describe('PageLimit (items per LIST page)', () => {
  it('keeps --client-page-size for small items: 500 ConfigMaps of 1.5 KB', () => {
    const limit = new PageLimit(500);
    assert.equal(limit.current, 500);
    limit.afterPage(500, 500 * 1500);
    assert.equal(limit.current, 500);
  });

  it('asks for as many large items as make about pageBytes, and grows back to the page size when they get small', () => {
    const limit = new PageLimit(500);
    limit.afterPage(500, 500 * 300_000);
    assert.equal(limit.current, Math.floor(defaultPageBytes / 300_000), '13 items of 300 KB');
    limit.afterPage(13, 13 * 1000);
    assert.equal(limit.current, 500);
  });

  it('asks for one item at least, whatever its size', () => {
    const limit = new PageLimit(500, 1000);
    limit.afterPage(2, 2_000_000);
    assert.equal(limit.current, 1);
  });

  it('does not change on an empty page (a selector matched nothing in it)', () => {
    const limit = new PageLimit(500);
    limit.afterPage(500, 500 * 300_000);
    const before = limit.current;
    limit.afterPage(0, 30);
    assert.equal(limit.current, before);
  });

  it('after a page over maxPageBytes asks for what would make pageBytes at the least size those items can have, at most an eighth', () => {
    const limit = new PageLimit(500);
    assert.equal(limit.afterTooLarge(500), true);
    assert.equal(limit.current, Math.floor((500 * defaultPageBytes) / defaultMaxPageBytes), '31: items of at least 128 KB');
    const tight = new PageLimit(500, 50_000, 120_000);
    assert.equal(tight.afterTooLarge(500), true);
    assert.equal(tight.current, 62, 'an eighth, as 500 × 50/120 would be 208');
  });

  it('cannot shrink below one item', () => {
    const limit = new PageLimit(500);
    assert.equal(limit.afterTooLarge(1), false);
    assert.equal(limit.afterTooLarge(5), true);
    assert.equal(limit.current, 1);
  });
});
