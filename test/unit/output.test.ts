import assert from 'node:assert/strict';
import { formatAge, renderData, renderTable } from '../../src/cli/output.js';
import { formatLogLine } from '../../src/log/logger.js';

describe('output', () => {
  it('renders kubectl-style tables', () => {
    const text = renderTable(
      [
        { name: 'a', phase: 'Completed' },
        { name: 'longer-name', phase: undefined },
      ],
      [
        { header: 'name', value: (r) => r.name },
        { header: 'phase', value: (r) => r.phase },
      ],
    );
    assert.equal(text, 'NAME          PHASE\na             Completed\nlonger-name\n');
  });

  it('renders json and yaml', () => {
    assert.equal(renderData('json', { a: 1 }), '{\n  "a": 1\n}\n');
    assert.equal(renderData('yaml', { a: [1] }), 'a:\n  - 1\n');
  });

  it('prints ages as kubectl does', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    assert.equal(formatAge('2026-01-09T23:59:30Z', now), '30s');
    assert.equal(formatAge('2026-01-09T23:00:00Z', now), '60m');
    assert.equal(formatAge('2026-01-09T00:00:00Z', now), '24h');
    assert.equal(formatAge('2026-01-01T00:00:00Z', now), '9d');
    assert.equal(formatAge(undefined, now), '<unknown>');
  });

  it('formats log lines as text or one JSON object', () => {
    const time = new Date('2026-01-01T00:00:00Z');
    assert.equal(formatLogLine('text', 'warn', 'excluding item', { ns: 'a b', n: 1, skip: undefined }, time), '2026-01-01T00:00:00.000Z WARN  excluding item ns="a b" n=1');
    assert.deepEqual(JSON.parse(formatLogLine('json', 'info', 'done', { items: 3 }, time)), { time: '2026-01-01T00:00:00.000Z', level: 'info', msg: 'done', items: 3 });
  });

  it('keeps control characters of names from an archive off the terminal in text log lines', () => {
    const time = new Date('2026-01-01T00:00:00Z');
    const line = formatLogLine('text', 'warn', 'configmaps shop/e0\u001b[2J exists', { item: 'e0\u001b[31mRED', n: '\u009b1m' }, time);
    assert.equal(line, '2026-01-01T00:00:00.000Z WARN  configmaps shop/e0\uFFFD[2J exists item=e0\uFFFD[31mRED n=\uFFFD1m');
  });
});
