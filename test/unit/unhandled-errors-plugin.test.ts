import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot } from '../helpers/plugin.js';
import { runProcess } from '../helpers/run-process.js';

interface MochaJson {
  stats: { passes: number; failures: number };
  passes: { fullTitle: string }[];
  failures: { fullTitle: string; err: { message: string } }[];
}

/** The root-hook plugin of .mocharc, through a mocha run of its own over a fixture. */
describe('test harness: unhandled errors fail the run', function () {
  this.timeout(60_000);

  it('names the test that left a rejection unhandled or threw, and leaves alone a test that listens itself', async () => {
    const fixture = path.join('test', 'helpers', 'fixtures', 'unhandled-errors.fixture.ts');
    const mocha = path.join(repoRoot, 'node_modules', 'mocha', 'bin', 'mocha.js');
    const result = await runProcess(process.execPath, [mocha, '--reporter', 'json', fixture], { env: process.env, cwd: repoRoot, timeoutMs: 50_000 });
    assert.notEqual(result.code, 0, 'the run fails');
    const report = JSON.parse(result.stdout) as MochaJson;
    assert.deepEqual(report.passes.map((t) => t.fullTitle), ['fixture leaves a rejection unhandled', 'fixture listens for rejections itself', 'fixture passes']);
    // Mocha itself fails the test running when an exception is uncaught; the plugin also records it.
    assert.deepEqual(report.failures.map((t) => t.fullTitle), ['fixture throws from a timer', '"after all" hook: unhandledErrorsDuringTheRun in "{root}"']);
    const summary = report.failures[1]!.err.message;
    assert.match(summary, /^2 unhandled errors during the run:\n/);
    assert.match(summary, /\n1\. unhandledRejection during "fixture leaves a rejection unhandled" \(.*unhandled-errors\.fixture\.ts\):\n {3}Error: left unhandled by the fixture\n/);
    assert.match(summary, /\n2\. uncaughtException during "fixture throws from a timer" \(.*unhandled-errors\.fixture\.ts\):\n {3}Error: thrown from a timer of the fixture\n/);
    assert.doesNotMatch(summary, /caught by the listener of the test/);
  });
});
