import assert from 'node:assert/strict';
import { TerminalProgress } from '../../src/progress/terminal-progress.js';
import { TerminalScreen } from '../helpers/terminal-screen.js';

describe('terminal progress display', () => {
  it('keeps the lines written while it shows, from stderr and stdout alike, and leaves no bar behind', () => {
    const screen = new TerminalScreen(60);
    const stderr = screen.stream();
    const stdout = screen.stream();
    const progress = new TerminalProgress(stderr);
    const long = `WARN ${'x'.repeat(70)} end`;
    try {
      progress.expect(10);
      progress.writeLine(stderr, 'WARN resource not found: nosuch\n');
      progress.writeLine(stdout, 'create configmaps demo/a\n');
      progress.advance(3);
      progress.writeLine(stderr, `${long}\n`);
      progress.writeLine(stdout, 'create configmaps demo/b\n');
      assert.match(screen.text().at(-1)!, /3\/10 items/, 'the bar is drawn below the lines');
    } finally {
      progress.finish();
    }
    progress.writeLine(stdout, 'after\n');

    assert.deepEqual(screen.text(), ['WARN resource not found: nosuch', 'create configmaps demo/a', long.slice(0, 60), long.slice(60), 'create configmaps demo/b', 'after']);
    assert.ok(!screen.raw.includes('\u001b7') && !screen.raw.includes('\u001b8'), 'no cursor save/restore: nothing jumps back over the lines');
    assert.ok(screen.raw.includes('\u001b[?25h'), 'the cursor is shown again');
  });

  it('draws an empty bar while nothing is known (0/0)', () => {
    const screen = new TerminalScreen(80);
    const stderr = screen.stream();
    const progress = new TerminalProgress(stderr);
    try {
      progress.writeLine(stderr, 'first\n');
      const bar = screen.text().at(-1)!;
      assert.match(bar, /0\/0 items/);
      assert.ok(!bar.includes('\u2588'), `no full block in ${bar}`);
    } finally {
      progress.finish();
    }
    assert.deepEqual(screen.text(), ['first']);
  });
});
