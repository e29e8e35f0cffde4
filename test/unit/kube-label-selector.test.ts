import assert from 'node:assert/strict';
import { BadInputError } from '../../src/errors.js';
import { parseLabelSelector } from '../../src/kube/label-selector.js';
import { compileLabelSelection } from '../../src/restore/label-selection.js';

describe('restore: label selectors evaluated on archive items', () => {
  const labels = { app: 'web', tier: 'front', 'example.com/team': 'a', rank: '5' };
  for (const [selector, expected] of [
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app=db', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['missing!=x', true],
    ['app in (web, db)', true],
    ['app notin (web,db)', false],
    ['missing notin (x)', true],
    ['app=web,tier=front', true],
    ['app=web,tier=back', false],
    ['example.com/team=a', true],
    ['rank>4', true],
    ['rank<4', false],
    ['app=web, tier in (front,back), !missing', true],
  ] as const) {
    it(`${selector} → ${expected}`, () => assert.equal(parseLabelSelector(selector)(labels), expected));
  }

  it('accepts an empty value', () => assert.equal(parseLabelSelector('app=')({ app: '' }), true));

  it('treats items without labels as having none', () => {
    assert.equal(parseLabelSelector('!app')(undefined), true);
    assert.equal(parseLabelSelector('app')(undefined), false);
  });

  for (const bad of ['', 'a b', 'app in (web', 'app=we b', 'rank>x', ',app']) {
    it(`refuses ${JSON.stringify(bad)}`, () => assert.throws(() => parseLabelSelector(bad), BadInputError));
  }

  it('matches any part of --or-selector', () => {
    const select = compileLabelSelection({ orSelectors: ['app=db', 'tier=front'] })!;
    assert.equal(select({ tier: 'front' }), true);
    assert.equal(select({ app: 'web' }), false);
    assert.equal(compileLabelSelection({ orSelectors: [] }), undefined);
  });
});
