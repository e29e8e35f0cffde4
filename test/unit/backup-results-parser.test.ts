import assert from 'node:assert/strict';
import { parseResults } from '../../src/backup-records/results-parser.js';
import { BadInputError } from '../../src/errors.js';

const parse = (json: string, maxLines?: number) => parseResults(Buffer.from(json), 'r.gz', maxLines);

describe('backup results: reading a results artifact', () => {
  it('reads warnings and errors as JSON.parse would, ignoring other fields', () => {
    const file = {
      warnings: { cluster: ['w1', 'w "2" \u00e9'], namespaces: { shop: ['w3'] }, extra: [1] },
      errors: null,
      version: 2,
    };
    const results = parse(` ${JSON.stringify(file).replace(/,/g, ' ,\n ')} `);
    assert.deepEqual(results.warnings.cluster, ['w1', 'w "2" \u00e9']);
    assert.deepEqual(Object.entries(results.warnings.namespaces), [['shop', ['w3']]]);
    assert.deepEqual(results.errors, { cluster: [], namespaces: {} });
    const proto = parse('{"errors":{"namespaces":{"__proto__":["odd"]}}}');
    assert.deepEqual(Object.entries(proto.errors.namespaces), [['__proto__', ['odd']]]);
    assert.deepEqual(parse('{}'), { warnings: { cluster: [], namespaces: {} }, errors: { cluster: [], namespaces: {} } });
  });

  it('keeps the first messages of a group and counts the rest', () => {
    const results = parse(JSON.stringify({ warnings: { cluster: ['a', 'b', 'c'], namespaces: { n1: ['d', 'e'], n2: ['f'], n3: [] } }, errors: { cluster: ['x'] } }), 4);
    // Three cluster messages, the heading of n1 and no room left: e, d and f are counted.
    assert.deepEqual(results.warnings, { cluster: ['a', 'b', 'c'], namespaces: { n1: [] }, omitted: 3 });
    assert.deepEqual(results.errors, { cluster: ['x'], namespaces: {} });
  });

  it('reads millions of messages in the bytes they take', () => {
    const count = 3_000_000;
    const json = `{"warnings":{"cluster":[${'"a",'.repeat(count - 1)}"a"]}}`;
    const results = parse(json);
    assert.equal(results.warnings.cluster.length, 10_000);
    assert.equal(results.warnings.omitted, count - 10_000);
  });

  it('refuses what is not JSON, or not of the shape, naming the artifact', () => {
    const refused = (json: string, pattern: RegExp) =>
      assert.throws(
        () => parse(json),
        (err: unknown) => err instanceof BadInputError && pattern.test(err.message),
      );
    refused('{"warnings":{"cluster":["a"', /^artifact "r\.gz" is not valid JSON: /);
    refused('{"warnings":{"cluster":["\\x"]}}', /^artifact "r\.gz" is not valid JSON: /);
    refused('{} x', /^artifact "r\.gz" is not valid JSON: /);
    refused('[]', /^artifact "r\.gz": the results must be/);
    refused('{"errors":{"cluster":[1]}}', /^artifact "r\.gz": errors must be/);
    refused('{"warnings":{"namespaces":{"n":"x"}}}', /^artifact "r\.gz": warnings must be/);
  });
});
