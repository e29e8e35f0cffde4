import assert from 'node:assert/strict';
import { ExitCode } from '../../src/errors.js';
import { parseResourceList, type ResourceListEvent } from '../../src/backup-records/resource-list-parser.js';

async function parse(chunks: (string | Buffer)[]): Promise<ResourceListEvent[]> {
  const events: ResourceListEvent[] = [];
  for await (const event of parseResourceList(chunks, 'backups/b/b-resource-list.json.gz')) events.push(event);
  return events;
}

/** The same text cut into pieces of every size from 1: state must carry across any cut. */
function cuts(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

const rejects = (problem: RegExp) => (err: Error & { exitCode?: number }) => {
  assert.equal(err.exitCode, ExitCode.BadInput);
  assert.match(err.message, /^artifact "backups\/b\/b-resource-list\.json\.gz" is not a resource list: /);
  assert.match(err.message, problem);
  return true;
};

describe('backup describe: the resource list, read as it streams', () => {
  const list = { 'apps/v1/Deployment': ['shop/web', 'shop/api'], 'v1/Namespace': ['shop'], 'v1/Secret': [] as string[], 'example.com/v1/Wïdget': ['ns/ä "quoted" \\ \u2603'] };
  const expected: ResourceListEvent[] = [
    { kind: 'type', type: 'apps/v1/Deployment' },
    { kind: 'item', type: 'apps/v1/Deployment', item: 'shop/web' },
    { kind: 'item', type: 'apps/v1/Deployment', item: 'shop/api' },
    { kind: 'type', type: 'v1/Namespace' },
    { kind: 'item', type: 'v1/Namespace', item: 'shop' },
    { kind: 'type', type: 'v1/Secret' },
    { kind: 'type', type: 'example.com/v1/Wïdget' },
    { kind: 'item', type: 'example.com/v1/Wïdget', item: 'ns/ä "quoted" \\ \u2603' },
  ];

  it('gives every type and item in order, compact or indented', async () => {
    assert.deepEqual(await parse([JSON.stringify(list)]), expected);
    assert.deepEqual(await parse([JSON.stringify(list, null, 2)]), expected);
  });

  it('carries strings, escapes and multi-byte characters across any chunk boundary', async () => {
    const text = JSON.stringify(list);
    for (const size of [1, 2, 3, 7, 64]) assert.deepEqual(await parse(cuts(text, size)), expected, `chunks of ${size} bytes`);
  });

  it('reads an empty list', async () => {
    assert.deepEqual(await parse(['{}']), []);
    assert.deepEqual(await parse([' { } \n']), []);
  });

  it('refuses anything that is not an object of arrays of strings, naming the artifact', async () => {
    const cases: [string, RegExp][] = [
      ['[]', /expected "\{", found "\["/],
      ['{"a": ["x", 1]}', /expected a string, found "1"/],
      ['{"a": "x"}', /expected "\[", found "\\""/],
      ['{"a" ["x"]}', /expected ":", found "\["/],
      ['{"a": ["x"]} {}', /unexpected "\{" after the end/],
      ['{"a": ["x"', /it ends before the list is complete/],
      ['{"a": ["x\\q"]}', /a string is not valid JSON/],
      ['{"a": ["x",]}', /expected a string, found "\]"/],
      ['', /it ends before the list is complete/],
    ];
    for (const [text, problem] of cases) await assert.rejects(parse([text]), rejects(problem), text);
  });

  it('refuses an oversized string instead of buffering it', async () => {
    const huge = `{"a": ["${'x'.repeat(70_000)}"]}`;
    await assert.rejects(parse(cuts(huge, 4096)), rejects(/a string is longer than 65536 characters/));
  });
});
