import assert from 'node:assert/strict';
import { parseSuiteArgs } from '../../bench/suite-args.js';
import { BadInputError } from '../../src/errors.js';

describe('benchmark suite arguments (npm run bench -- backup|restore ...)', () => {
  it('reads numbers in order and the options wherever they stand', () => {
    assert.deepEqual(parseSuiteArgs('backup', ['2000', '--cluster', '5000']), { numbers: [2000, 5000], paced: false, cluster: true });
    assert.deepEqual(parseSuiteArgs('restore', ['--paced', '10000', '3'], 2), { numbers: [10000, 3], paced: true, cluster: false });
    assert.deepEqual(parseSuiteArgs('backup', []), { numbers: [], paced: false, cluster: false });
    assert.deepEqual(parseSuiteArgs('backup', ['10000', '--rounds', '3', '--paced']), { numbers: [10000], paced: true, cluster: false, rounds: 3 });
  });

  it('takes a positive whole number after --rounds', () => {
    for (const bad of [['--rounds'], ['--rounds', '0'], ['--rounds', '--paced'], ['--rounds', '2.5']]) {
      assert.throws(() => parseSuiteArgs('backup', bad), (err: unknown) => err instanceof BadInputError && /backup: --rounds takes a positive whole number/.test(err.message), bad.join(' '));
    }
  });

  it('refuses --paced with --cluster: pacing slows the test server, a cluster answers at its own pace', () => {
    assert.throws(
      () => parseSuiteArgs('backup', ['--cluster', '--paced']),
      (err: unknown) => err instanceof BadInputError && /backup: --paced .* --cluster/.test(err.message),
    );
  });

  it('refuses unknown options, naming the known ones', () => {
    assert.throws(() => parseSuiteArgs('restore', ['--clusters']), (err: unknown) => err instanceof BadInputError && /unknown option --clusters \(known: --cluster, --paced, --rounds N\)/.test(err.message));
    assert.throws(() => parseSuiteArgs('restore', ['-c']), BadInputError);
  });

  it('takes positive whole numbers only', () => {
    for (const bad of ['0', '1.5', '1e4', 'ten', '007', '']) {
      assert.throws(() => parseSuiteArgs('backup', [bad]), (err: unknown) => err instanceof BadInputError && err.message.includes('is not a positive whole number'), bad);
    }
  });

  it('refuses more numbers than the suite takes', () => {
    assert.throws(() => parseSuiteArgs('restore', ['1', '2', '3'], 2), (err: unknown) => err instanceof BadInputError && /at most 2 numbers, got 3/.test(err.message));
  });
});
