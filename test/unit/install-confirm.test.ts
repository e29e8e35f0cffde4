import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { confirmDestructive, type ConfirmIo } from '../../src/cli/confirm.js';
import { ExitCode } from '../../src/errors.js';

function io(tty: boolean, answer?: string): ConfirmIo & { input: PassThrough; asked: () => string } {
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  const output = Object.assign(new PassThrough(), { isTTY: tty });
  let asked = '';
  output.on('data', (d: Buffer) => (asked += d.toString()));
  if (answer !== undefined) setImmediate(() => input.write(`${answer}\n`));
  return { input, output, asked: () => asked };
}

describe('confirmation of destructive commands', () => {
  it('goes ahead with --confirm without asking', async () => {
    const terminal = io(false);
    assert.equal(await confirmDestructive('uninstall', 'Sure?', true, terminal), true);
    assert.equal(terminal.asked(), '');
  });

  it('refuses without --confirm when not on a terminal: exit 2', async () => {
    await assert.rejects(confirmDestructive('uninstall', 'Sure?', false, io(false)), (err: Error & { exitCode?: number }) => {
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, /uninstall deletes and cannot be undone: it needs --confirm when not run from a terminal/);
      return true;
    });
  });

  it('asks on a terminal and goes ahead only on yes', async () => {
    const yes = io(true, 'y');
    assert.equal(await confirmDestructive('uninstall', 'Uninstall?', false, yes), true);
    assert.match(yes.asked(), /Uninstall\? \[y\/N\]/);
    assert.equal(await confirmDestructive('uninstall', 'Uninstall?', false, io(true, 'YES')), true);
    assert.equal(await confirmDestructive('uninstall', 'Uninstall?', false, io(true, '')), false);
    assert.equal(await confirmDestructive('uninstall', 'Uninstall?', false, io(true, 'no')), false);
  });

  it('takes Ctrl+D, or input that ends, as no', async () => {
    const ctrlD = io(true);
    setImmediate(() => ctrlD.input.write('\u0004'));
    assert.equal(await confirmDestructive('backup delete', 'Delete?', false, ctrlD), false);
    await new Promise(setImmediate);
    assert.match(ctrlD.asked(), /Delete\? \[y\/N\] /);
    assert.ok(ctrlD.asked().endsWith('\n'), 'what follows starts on a line of its own');
    const ended = io(true);
    setImmediate(() => ended.input.end());
    assert.equal(await confirmDestructive('backup delete', 'Delete?', false, ended), false);
  });
});
