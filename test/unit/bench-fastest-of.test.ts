import assert from 'node:assert/strict';
import { fastestOf, type ContenderRow } from '../../bench/listing-contenders.js';

function row(tool: string, seconds: number, peakRssMb: number): ContenderRow {
  return { tool, items: 10, run: { seconds, peakRssMb, cpuSeconds: seconds, code: 0, stdout: '', stderr: '' } };
}

describe('benchmark rounds (fastestOf)', () => {
  it('runs the contenders in turn, round by round, and keeps each one fastest run with its highest peak RSS', async () => {
    const calls: string[] = [];
    const times: Record<string, number[]> = { plain: [0.6, 0.5, 0.7], ours: [0.9, 1.0, 0.8] };
    const peaks: Record<string, number[]> = { plain: [80, 90, 85], ours: [120, 110, 115] };
    const contender = (tool: string) => async (round: number) => {
      calls.push(`${tool}${round}`);
      return row(tool, times[tool]![round - 1]!, peaks[tool]![round - 1]!);
    };
    const rows = await fastestOf(3, [contender('plain'), contender('ours')]);
    assert.deepEqual(calls, ['plain1', 'ours1', 'plain2', 'ours2', 'plain3', 'ours3']);
    assert.deepEqual(
      rows.map((r) => [r.tool, r.run.seconds, r.run.peakRssMb]),
      [
        ['plain', 0.5, 90],
        ['ours', 0.8, 120],
      ],
    );
  });

  it('with one round, is each contender run once as it was', async () => {
    const rows = await fastestOf(1, [async () => row('only', 1.5, 70)]);
    assert.deepEqual(rows, [row('only', 1.5, 70)]);
  });
});
